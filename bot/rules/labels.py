"""Chinese labels of the vocabulary's values, for messages (the dialogs have their own)."""

CATEGORY = {
    "degree": "学位+2年工作经历",
    "title": "中级及以上职称",
    "award": "获奖人",
    "tech_income": "科技创新主体高收入",
    "service_income": "科技创新服务主体高收入",
    "ip": "专利/软件著作权",
    "founder": "创新创业团队股东",
    "freelancer": "自由职业者/个体工商户",
    "recommended": "区委区政府推荐",
    "overseas_qualification": "境外职业资格",
}
DEGREE = {"none": "无学位", "associate": "专科", "bachelor": "学士", "master": "硕士", "doctor": "博士"}
TITLE = {"none": "无职称", "junior": "初级职称", "intermediate": "中级职称", "senior": "高级职称"}
HUKOU = {
    "non_beijing": "非北京户籍",
    "beijing": "北京户籍",
    "beijing_collective": "北京市集体户口",
    "school_temporary": "学校临时户口",
}
HOUSING = {
    "owned": "自有住房（有房产证）",
    "owned_pending_certificate": "自有住房（尚无房产证，有网签合同）",
    "rented": "租住居民户房屋",
    "rented_rural": "租住农村宅基地房屋",
    "unit_housing": "住单位公房",
    "relatives": "居住亲友住房",
    "residence_permit": "持有《北京市居住证》",
    "public_rental": "住公租房（公共租赁住房）",
}
EMPLOYER_FORM = {
    "enterprise": "企业",
    "firm": "律所/会计所/审计所/税务所",
    "institution": "事业单位",
    "private_non_enterprise": "民办非企业单位",
    "social_organization": "社会团体",
    "branch": "非法人分支机构",
    "rep_office": "外国公司驻京代表处",
}
SECTOR = {
    "tech_innovation": "科技创新主体（新型研发机构/创新型总部/高新技术企业等）",
    "professional_service": "科技创新服务主体（律所/会计所/人力资源/金融机构等）",
    "other": "其他单位",
}
INFO_CHANGE = {
    "address": "居住地址",
    "hukou": "户口（户籍地）",
    "name": "姓名",
    "marital": "婚姻状况",
    "education": "学历学位",
    "title": "职称",
}
BUSINESS = {
    "new": "新办",
    "renewal": "续签",
    "employer_change": "聘用单位变更",
    "info_change": "基础信息变更",
    "dependent_change": "随往人员变更",
    "unit_account": "单位开户",
    "unit_district_change": "单位跨区变更",
}
VERDICT = {
    "eligible": "符合条件",
    "ineligible": "暂不符合条件",
    "needs_more_info": "还需补充信息",
    "refer": "请咨询区办公室",
}


def money(value: float) -> str:
    """14324 -> '14,324'; 14324.4 -> '14,324.4'."""
    if abs(value - round(value)) < 0.005:
        return f"{round(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
