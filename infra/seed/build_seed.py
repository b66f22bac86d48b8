# ruff: noqa: E501  (the matter tables below are data; long Chinese lines read better unwrapped)
"""Deterministic generator for the seed catalogue.

Writes:
  functions/hall/data/themes.json
  functions/hall/data/regions.json
  functions/hall/data/departments.json
  infra/seed/matters.json
  infra/seed/service_points.json
  infra/seed/scenarios.json

The English of the catalogue (name_en, aliases_en, materials[].name_en, conditions_en,
process_en, form_fields[].label_en / options_en, fees[].name_en / amount_en, the scenarios'
and service points' *_en fields) comes from the translation tables in infra/seed/en/*.tsv:
one line per unique Chinese string, "Chinese<TAB>English". The build fails, naming every
string, when one lacks its English, when a table line is no longer used, or when an English
text holds Chinese characters.

Run from anywhere:  python infra/seed/build_seed.py
The format is described in infra/seed/README.md. Output is stable: the same
tables always produce the same codes (matter numbers are assigned per
region+department in table order, so append new templates at the end of a
section's list to keep existing codes stable).
"""
import json
import os
import re
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "functions", "hall", "data")

# ---------------------------------------------------------------- reference tables
PERSON_THEMES = [
    ("生育收养", "Birth and adoption"),
    ("户籍办理", "Household registration"),
    ("民族宗教", "Ethnicity and religion"),
    ("教育科研", "Education and research"),
    ("入伍服役", "Military service"),
    ("就业创业", "Employment and entrepreneurship"),
    ("设立变更", "Establishment and change"),
    ("准营准办", "Operating permits"),
    ("抵押质押", "Mortgage and pledge"),
    ("职业资格", "Professional qualifications"),
    ("行政缴费", "Administrative fees"),
    ("婚姻登记", "Marriage registration"),
    ("优待抚恤", "Veterans' benefits and pensions"),
    ("规划建设", "Planning and construction"),
    ("住房保障", "Housing security"),
    ("社会保障(社会保险、社会救助)", "Social security (insurance and assistance)"),
    ("证件办理", "ID documents"),
    ("交通出行", "Transport and travel"),
    ("旅游观光", "Tourism"),
    ("出境入境", "Exit and entry"),
    ("消费维权", "Consumer rights"),
    ("公共安全", "Public safety"),
    ("司法公证", "Justice and notarisation"),
    ("知识产权", "Intellectual property"),
    ("环保绿化", "Environment and greening"),
    ("文化体育", "Culture and sports"),
    ("公用事业", "Public utilities"),
    ("医疗卫生", "Medical care and health"),
    ("离职退休", "Leaving a job and retirement"),
    ("死亡殡葬", "Death and funeral"),
    ("其他(含个体工商户)", "Other (incl. individual businesses)"),
]

ENTERPRISE_THEMES = [
    ("设立变更", "Establishment and change"),
    ("准营准办", "Operating permits"),
    ("资质认证", "Qualification certification"),
    ("年检年审", "Annual inspection and reporting"),
    ("税收财务", "Tax and finance"),
    ("人力资源", "Human resources"),
    ("社会保障", "Social security"),
    ("投资审批", "Investment approval"),
    ("融资信贷", "Financing and credit"),
    ("抵押质押", "Mortgage and pledge"),
    ("商务贸易", "Commerce and trade"),
    ("招标拍卖", "Tendering and auctions"),
    ("海关口岸", "Customs and ports"),
    ("涉外服务", "Foreign-related services"),
    ("农林牧渔", "Agriculture, forestry, husbandry and fishery"),
    ("国土和规划建设", "Land, planning and construction"),
    ("交通运输", "Transport"),
    ("环保绿化", "Environment and greening"),
    ("应对气候变化", "Climate change"),
    ("水务气象", "Water and meteorology"),
    ("医疗卫生", "Medical care and health"),
    ("科技创新", "Science and innovation"),
    ("文体教育", "Culture, sports and education"),
    ("知识产权", "Intellectual property"),
    ("民族宗教", "Ethnicity and religion"),
    ("质量技术", "Quality and technical supervision"),
    ("检验检疫", "Inspection and quarantine"),
    ("安全生产", "Work safety"),
    ("公安消防", "Police and fire services"),
    ("司法公证", "Justice and notarisation"),
    ("公用事业", "Public utilities"),
    ("法人注销", "Deregistration"),
    ("档案文物", "Archives and cultural relics"),
    ("其他", "Other"),
]

REGIONS = [
    {"code": "441400", "name": "梅州市", "name_en": "Meizhou", "level": "city"},
    {"code": "441402", "name": "梅江区", "name_en": "Meijiang District", "level": "county"},
    {"code": "441403", "name": "梅县区", "name_en": "Meixian District", "level": "county"},
    {"code": "441481", "name": "兴宁市", "name_en": "Xingning City", "level": "county"},
    {"code": "441426", "name": "平远县", "name_en": "Pingyuan County", "level": "county"},
    {"code": "441427", "name": "蕉岭县", "name_en": "Jiaoling County", "level": "county"},
    {"code": "441422", "name": "大埔县", "name_en": "Dabu County", "level": "county"},
    {"code": "441423", "name": "丰顺县", "name_en": "Fengshun County", "level": "county"},
    {"code": "441424", "name": "五华县", "name_en": "Wuhua County", "level": "county"},
]

# Popularity of a county copy relative to the city copy (rough population share).
COUNTY_FACTOR = {
    "441402": 0.40, "441403": 0.45, "441481": 0.50, "441426": 0.20,
    "441427": 0.20, "441422": 0.25, "441423": 0.30, "441424": 0.50,
}

DEPARTMENTS = [
    ("GAJ", "公安局", "Public Security Bureau"),
    ("MZJ", "民政局", "Civil Affairs Bureau"),
    ("RSJ", "人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("YBJ", "医疗保障局", "Healthcare Security Bureau"),
    ("GJJ", "住房公积金管理中心", "Housing Provident Fund Management Centre"),
    ("SWJ", "税务局", "Taxation Bureau"),
    ("SCJGJ", "市场监督管理局", "Administration for Market Regulation"),
    ("ZRZYJ", "自然资源局", "Natural Resources Bureau"),
    ("ZJJ", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("JTYSJ", "交通运输局", "Transport Bureau"),
    ("WJJ", "卫生健康局", "Health Bureau"),
    ("JYJ", "教育局", "Education Bureau"),
    ("SFJ", "司法局", "Justice Bureau"),
    ("STHJJ", "生态环境局", "Ecology and Environment Bureau"),
    ("NYNCJ", "农业农村局", "Agriculture and Rural Affairs Bureau"),
    ("SWUJ", "商务局", "Commerce Bureau"),
    ("FGJ", "发展和改革局", "Development and Reform Bureau"),
    ("TYJRJ", "退役军人事务局", "Veterans Affairs Bureau"),
    ("WGLTJ", "文化广电旅游体育局", "Culture, Radio, Television, Tourism and Sports Bureau"),
    ("YJGLJ", "应急管理局", "Emergency Management Bureau"),
    ("SHWJ", "水务局", "Water Affairs Bureau"),
    ("QXJ", "气象局", "Meteorological Bureau"),
    ("DAJ", "档案局", "Archives Bureau"),
    ("MZZJJ", "民族宗教事务局", "Ethnic and Religious Affairs Bureau"),
    ("KJJ", "科学技术局", "Science and Technology Bureau"),
    ("BDCDJ", "不动产登记中心", "Real Estate Registration Centre"),
    ("HG", "海关", "Customs"),
    ("XFJY", "消防救援支队", "Fire and Rescue Detachment"),
    ("CL", "残疾人联合会", "Disabled Persons' Federation"),
    ("CGJ", "城市管理和综合执法局", "Urban Management and Law Enforcement Bureau"),
    ("CZJ", "财政局", "Finance Bureau"),
    ("GXJ", "工业和信息化局", "Industry and Information Technology Bureau"),
    ("JRJ", "金融工作局", "Financial Affairs Bureau"),
    ("ZSJ", "政务服务数据管理局", "Government Services and Data Administration"),
    ("GGZY", "公共资源交易中心", "Public Resources Trading Centre"),
    ("RWB", "人民武装部", "People's Armed Forces Department"),
    ("YCJ", "烟草专卖局", "Tobacco Monopoly Bureau"),
    ("GDJ", "供电局", "Power Supply Bureau"),
]

# key -> (name, default form, licence_type or None). licence_type marks materials
# an electronic licence (电子证照) can replace.
MATERIALS = {
    "id": ("居民身份证", "original", "id_card"),
    "hk": ("居民户口簿", "original", "household_register"),
    "mar": ("结婚证", "original", "marriage_cert"),
    "div": ("离婚证", "original", "divorce_cert"),
    "bl": ("营业执照", "original", "business_licence"),
    "birth": ("出生医学证明", "original", "birth_cert"),
    "prop": ("不动产权证书", "original", "property_cert"),
    "dl": ("机动车驾驶证", "original", "driving_licence"),
    "vl": ("机动车行驶证", "original", "vehicle_licence"),
    "deg": ("学历学位证书", "original_and_copy", "degree_cert"),
    "ssc": ("社会保障卡", "original", "social_security_card"),
    "dis": ("残疾人证", "original", "disability_cert"),
    "vet": ("退役军人证明（退出现役证等）", "original", "veteran_cert"),
    "death": ("居民死亡医学证明（推断）书", "original", "death_cert"),
    "resid": ("居住证", "original", "residence_permit"),
    "foodlic": ("食品经营许可证", "original", "food_licence"),
    "lrid": ("法定代表人身份证件", "copy", "id_card"),
    "agid": ("经办人身份证件", "original", "id_card"),
    "photo": ("近期免冠彩色证件照片", "original", None),
    "auth": ("授权委托书（委托他人办理时提供）", "original", None),
    "bank": ("本人银行账户信息（社会保障卡金融账户或银行卡）", "copy", None),
    "lease": ("经营场所使用证明（产权证明或租赁合同）", "copy", None),
    "charter": ("公司章程", "original", None),
    "appform": ("申请书", "original", None),
}

# key -> (name, label, type)
FIELDS = {
    "name": ("applicant_name", "申请人姓名", "text"),
    "idno": ("id_number", "身份证号码", "id_number"),
    "phone": ("phone", "联系电话", "phone"),
    "addr": ("address", "联系地址", "textarea"),
    "org": ("org_name", "单位名称", "text"),
    "uscc": ("uscc", "统一社会信用代码", "text"),
    "contact": ("contact_name", "经办人姓名", "text"),
    "cphone": ("contact_phone", "经办人手机号码", "phone"),
    "both_name": ("applicant_name", "申请人（单位）名称", "text"),
    "both_no": ("certificate_number", "身份证号码或统一社会信用代码", "text"),
    "lrname": ("legal_rep_name", "法定代表人姓名", "text"),
    "lrid": ("legal_rep_id_number", "法定代表人身份证号码", "id_number"),
    "bankno": ("bank_account", "收款银行账号", "text"),
    "bankname": ("bank_name", "开户银行", "text"),
    "premises": ("premises_address", "经营场所地址", "textarea"),
    "scope": ("business_scope", "经营范围", "textarea"),
    "project": ("project_name", "项目名称", "text"),
    "projaddr": ("project_address", "项目地址", "textarea"),
    "invest": ("total_investment", "总投资（万元）", "number"),
    "area": ("floor_area", "建筑面积（平方米）", "number"),
    "reason": ("reason", "申请事由", "textarea"),
    "amount": ("amount", "申请金额（元）", "number"),
    "count": ("employee_count", "职工人数", "number"),
    "ddate": ("death_date", "死亡日期", "date"),
    "dname": ("deceased_name", "逝者姓名", "text"),
    "didno": ("deceased_id_number", "逝者身份证号码", "id_number"),
}


def T(name, dept, themes, **kw):
    return dict(name=name, dept=dept, themes=themes, **kw)


DLV = "delivery:领取方式:select:post=免费邮寄|window=窗口自取"

# Matter templates. scope: city (441400 only) | both (city + each county) |
# county (each county) | town | village (each county, level town/village).
# depth: full | apply | onsite. Keys: legal/prom (days), fees [(item, amount)],
# mats (material specs), f (extra form fields), tags (hot tags), al (aliases),
# cond (conditions), guide (one plain sentence), pop (popularity).
TEMPLATES = [
    # ---------------------------------------------------------------- birth, household, ID
    T("出生医学证明首次签发", "WJJ", ["P01", "P28"], scope="both", depth="apply", legal=20, prom=1,
      mats=["父母双方居民身份证|original", "?mar", "医疗机构出具的分娩记录"],
      f=["child_name:新生儿姓名:text", "birth_date:出生日期:date",
         "child_gender:新生儿性别:select:m=男|f=女", "hospital:出生医院:text"],
      al=["办出生证", "出生证明", "宝宝出生证"], pop=820,
      cond=["在本市取得助产技术服务资质的医疗机构内出生的新生儿"],
      guide="在医院出生的婴儿由父母凭身份证向出生医院申请出生医学证明，办好后可用于落户、参保和接种"),
    T("出生登记（新生儿入户）", "GAJ", ["P01", "P02"], scope="both", depth="full", legal=10, prom=3,
      mats=["birth", "父母双方居民户口簿|original", "父母双方居民身份证|original", "?mar"],
      f=["child_name:新生儿姓名:text", "birth_date:出生日期:date",
         "settle_with:随父或随母落户:select:father=随父|mother=随母", DLV],
      al=["新生儿上户口", "宝宝入户", "小孩上户口"], pop=760,
      cond=["父母一方为本市户籍，新生儿出生后可申报常住户口"],
      guide="新生儿出生后可在网上申报入户，户口簿内页办好后免费邮寄到家"),
    T("生育登记", "WJJ", ["P01"], scope="town", depth="full", legal=5, prom=0,
      mats=["夫妻双方居民身份证|original", "mar"],
      f=["spouse_name:配偶姓名:text", "spouse_id_number:配偶身份证号码:id_number",
         "child_order:本次生育孩次:select:1=一孩|2=二孩|3=三孩"],
      al=["准生证", "生育服务证", "怀孕登记"], pop=520,
      cond=["夫妻一方户籍在本镇（街）或在本镇（街）居住的育龄夫妻"],
      guide="生育登记不设前置条件，夫妻双方在网上填写信息即可完成登记"),
    T("收养登记", "MZJ", ["P01"], depth="onsite", legal=30, prom=20, visits=2,
      mats=["收养人和被收养人居民身份证|original", "hk", "收养人的婚姻状况证明", "收养人健康检查证明",
            "送养人或社会福利机构出具的送养证明", "photo"],
      f=["adoptee_name:被收养人姓名:text", "adoptee_birth:被收养人出生日期:date", "addr"],
      al=["领养孩子", "办收养手续"], pop=40,
      cond=["收养人无子女或只有一名子女，年满三十周岁，有抚养教育被收养人的能力"],
      guide="收养关系自登记之日起成立，民政部门需要对收养情况进行调查评估"),
    T("生育津贴申领", "YBJ", ["P01", "P16"], depth="full", legal=20, prom=10,
      mats=["id", "出生医学证明或分娩记录", "bank"],
      f=["employer:参保单位名称:text", "delivery_date:分娩日期:date",
         "delivery_type:分娩方式:select:natural=顺产|caesarean=剖宫产", "bankno"],
      tags=["social_security"], al=["领生育津贴", "产假工资", "生育险报销"], pop=610,
      cond=["参加职工基本医疗保险（含生育保险）并按规定连续缴费的职工"],
      guide="生育津贴按用人单位上年度职工月平均工资计发，一般由单位代为申领后发给职工"),
    T("生育医疗费用报销", "YBJ", ["P01", "P16", "P28"], depth="full", legal=20, prom=10,
      mats=["id", "住院费用票据和费用清单", "出院小结", "bank"],
      f=["hospital:就诊医院:text", "amount", "bankno"],
      tags=["social_security"], al=["生孩子报销", "生育报销"], pop=430,
      cond=["参加生育保险或城乡居民医保，在异地分娩未能直接结算的参保人"]),
    T("预防接种证办理", "WJJ", ["P01", "P28"], depth="apply", legal=5, prom=0,
      mats=["birth", "监护人居民身份证|original"],
      f=["child_name:儿童姓名:text", "birth_date:出生日期:date"],
      al=["打疫苗本子", "办接种本", "疫苗本"], pop=480,
      cond=["在本市居住的适龄儿童"],
      guide="宝宝出生后一个月内到居住地的预防接种门诊建卡办证，之后按程序接种疫苗"),
    T("计划生育家庭特别扶助金申领", "WJJ", ["P01", "P16"], scope="county", depth="apply", legal=30, prom=20,
      mats=["id", "hk", "独生子女死亡或伤残证明材料", "bank"],
      f=["bankno"], kind="other", al=["失独家庭补助", "特扶金"], pop=60,
      cond=["独生子女死亡或伤残、未再生育或收养子女的夫妻，女方年满49周岁"]),
    T("户口迁入（人才引进）", "GAJ", ["P02", "P06"], kind="licensing", depth="full", legal=20, prom=5,
      mats=["id", "hk", "deg", "劳动合同或就业创业证明"],
      f=["degree:学历:select:college=大专|bachelor=本科|master=硕士|doctor=博士",
          "move_to:拟迁入地址:textarea", DLV],
      al=["人才落户", "迁户口到梅州", "大学生落户"], pop=260,
      cond=["具有全日制大专以上学历或中级以上职称、技能等级，在本市就业创业的人员"]),
    T("户口迁入（投靠亲属）", "GAJ", ["P02"], kind="licensing", scope="both", depth="apply", legal=20, prom=10,
      mats=["id", "hk", "亲属关系证明（结婚证、出生医学证明等）", "被投靠人居民户口簿|original"],
      f=["relation:与被投靠人关系:select:spouse=夫妻|child=子女投靠父母|parent=父母投靠子女",
         "host_name:被投靠人姓名:text"],
      al=["夫妻投靠落户", "老人随子女落户", "投靠入户"], pop=300,
      cond=["夫妻投靠、未成年子女投靠父母、老年父母投靠子女等"]),
    T("户口迁出", "GAJ", ["P02"], depth="full", legal=10, prom=3,
      mats=["id", "hk", "迁入地准予迁入证明（省外迁移时提供）"],
      f=["move_to:迁往地址:textarea"],
      al=["迁户口", "户口转走"], pop=180, cond=["户籍在本市、需迁往外地的居民"],
      guide="省内迁移实行一站式办理，只需在迁入地申请，无需回本市开具迁移证"),
    T("居民户口簿补领、换领", "GAJ", ["P02", "P17"], depth="full", legal=10, prom=3,
      fees=[("户口簿工本费", "免收")], mats=["id", "?hk"],
      f=["reason_type:申请原因:select:lost=丢失补领|damaged=损坏换领", DLV],
      al=["户口本丢了", "补户口本"], pop=220, cond=["户主或本户成员"]),
    T("姓名变更登记", "GAJ", ["P02", "P17"], depth="onsite", legal=20, prom=10,
      mats=["id", "hk", "变更姓名的理由证明材料"],
      f=["new_name:变更后姓名:text", "reason"],
      al=["改名字", "改名"], pop=90, cond=["未满十八周岁由监护人申请；成年人变更需有正当理由"]),
    T("死亡注销户口", "GAJ", ["P02", "P30"], scope="both", depth="full", legal=5, prom=0,
      mats=["death", "死者居民户口簿|original", "申报人居民身份证|original"],
      f=["dname", "didno", "ddate", "relation:申报人与逝者关系:text"],
      al=["销户口", "人走了注销户口", "死亡销户"], pop=330,
      cond=["公民死亡后，由其家属、监护人或所在单位申报"],
      guide="公民死亡后一个月内，家属应当为其注销户口，身份证由公安机关一并收回"),
    T("居民身份证换领", "GAJ", ["P17"], scope="both", depth="onsite", legal=60, prom=15,
      fees=[("居民身份证工本费", "20元")], mats=["id", "hk"],
      f=["reason_type:换领原因:select:expired=有效期满|damaged=证件损坏|changed=登记项目变更", DLV],
      al=["办身份证", "换身份证", "身份证过期"], pop=900,
      cond=["居民身份证有效期满前三个月、证件损坏或登记项目变更的居民"],
      guide="需本人到户籍地或居住地派出所窗口现场采集照片和指纹，新证可选择邮寄到家"),
    T("居民身份证补领", "GAJ", ["P17"], depth="onsite", legal=60, prom=15,
      fees=[("居民身份证工本费", "20元")], mats=["hk"],
      f=["lost_date:遗失日期:date", DLV],
      al=["身份证丢了", "补办身份证"], pop=640,
      cond=["居民身份证遗失的本市户籍居民"]),
    T("临时居民身份证办理", "GAJ", ["P17"], depth="onsite", legal=3, prom=0,
      fees=[("临时居民身份证工本费", "10元")], mats=["hk", "photo"],
      al=["临时身份证", "急用身份证"], pop=280,
      cond=["正在申领、换领、补领居民身份证期间急需使用身份证的居民"]),
    T("居住证申领", "GAJ", ["P02", "P17"], depth="full", legal=15, prom=10,
      mats=["id", "居住登记满半年的证明（租赁合同或单位证明）", "photo"],
      f=["live_address:居住地址:textarea", "employer:就业单位:text", DLV],
      al=["办居住证", "外地人办证", "暂住证"], pop=350,
      cond=["离开常住户口所在地，在本市居住半年以上，有合法稳定就业、住所或连续就读的人员"]),
    T("公民民族成分变更审核", "MZZJJ", ["P03", "P02"], depth="apply", legal=30, prom=15,
      mats=["id", "hk", "父母双方民族成分证明材料"],
      f=["current_ethnic:现民族成分:text", "new_ethnic:申请变更的民族成分:text", "reason"],
      al=["改民族", "民族成分更改"], pop=25,
      cond=["未满十八周岁可由监护人申请；年满十八至二十周岁可本人申请一次"]),
    T("宗教教职人员备案", "MZZJJ", ["P03"], depth="full", legal=20, prom=10,
      mats=["id", "宗教团体出具的认定教职人员证明", "photo"],
      f=["religion:宗教类别:select:buddhism=佛教|taoism=道教|catholic=天主教|christian=基督教",
         "venue:所在宗教活动场所:text"],
      al=["教职人员登记"], pop=12, kind="other",
      cond=["经宗教团体认定的宗教教职人员"]),
    T("宗教临时活动地点审批", "MZZJJ", ["P03", "E25"], depth="full", legal=20, prom=15,
      mats=["申请人身份证件或宗教团体登记证书", "临时活动地点的房屋权属或使用证明", "拟主持活动的宗教教职人员情况",
            "?auth"],
      f=["site_address:临时活动地点地址:textarea", "religion:宗教类别:select:buddhism=佛教|taoism=道教|catholic=天主教|christian=基督教",
         "believer_count:信教公民人数:number"],
      al=["临时宗教活动场地", "聚会点审批"], pop=10,
      cond=["信教公民有经常进行集体宗教活动需要，尚不具备条件申请设立宗教活动场所的"]),
]

TEMPLATES += [
    # ---------------------------------------------------------------- education, military, employment
    T("义务教育阶段新生入学报名", "JYJ", ["P04"], scope="both", depth="full", legal=30, prom=20,
      mats=["hk", "birth", "?prop", "?resid", "父母居民身份证|original"],
      f=["child_name:学生姓名:text", "child_id_number:学生身份证号码:id_number",
         "stage:入学阶段:select:primary=小学一年级|junior=初中一年级",
         "school:意向学校:text", "addr"],
      al=["小孩上学报名", "小一报名", "初一报名", "学位申请"], pop=880,
      cond=["适龄儿童少年，户籍或父母居住证在本地"],
      guide="每年5至7月在网上报名，系统按户籍、房产等信息核验后分配学位，结果在网上公布"),
    T("随迁子女积分入学申请", "JYJ", ["P04"], depth="full", legal=30, prom=20,
      mats=["resid", "父母劳动合同或营业执照", "社会保险缴费证明", "birth"],
      f=["child_name:学生姓名:text", "stage:入学阶段:select:primary=小学|junior=初中", "?school:意向学校:text"],
      al=["外地孩子读书", "积分入学"], pop=410,
      cond=["父母一方持本市居住证，并在本市就业或经营的非本市户籍适龄儿童"]),
    T("教师资格认定", "JYJ", ["P04", "P10"], depth="full", legal=30, prom=20,
      mats=["id", "deg", "普通话水平测试等级证书", "体检合格证明", "中小学教师资格考试合格证明"],
      f=["subject:任教学科:text",
         "cert_type:资格种类:select:kindergarten=幼儿园|primary=小学|junior=初级中学|senior=高级中学|vocational=中职"],
      al=["考教师证", "办教师资格证"], pop=450,
      cond=["具备规定学历并通过教师资格考试，户籍、居住证或就读学校在本地"]),
    T("普通话水平测试报名", "JYJ", ["P04", "P10"], depth="full", legal=30, prom=20,
      fees=[("普通话水平测试费", "按省定标准收取")], mats=["id", "photo|electronic"],
      f=["exam_session:测试批次:text"], al=["考普通话", "普通话考试"], pop=230, kind="public_service",
      cond=["需要取得普通话水平测试等级证书的人员"]),
    T("家庭经济困难学生资助申请", "JYJ", ["P04", "P16"], depth="full", legal=30, prom=20,
      mats=["学生居民身份证或户口簿", "家庭经济困难情况证明材料", "bank"],
      f=["school:就读学校:text", "grade:年级:text",
         "aid_type:资助类别:select:grant=国家助学金|waiver=免学费|living=生活费补助"],
      al=["助学金", "贫困生补助"], pop=260, kind="other",
      cond=["在本市就读、家庭经济困难的学生"]),
    T("中小学学生学籍证明出具", "JYJ", ["P04"], depth="full", legal=5, prom=1,
      mats=["学生居民身份证或户口簿"], f=["school:学校名称:text", DLV], al=["学籍证明", "在读证明"], pop=140,
      cond=["在本市中小学就读或曾就读的学生"]),
    T("应征入伍网上报名", "RWB", ["P05"], depth="full", legal=30, prom=20,
      mats=["id", "hk", "deg"], f=["education:文化程度:select:high=高中|college=大专|bachelor=本科及以上",
                                   "?school:就读或毕业学校:text"],
      al=["当兵报名", "参军报名", "征兵"], pop=300,
      cond=["年满18至22周岁的男青年（大学生可放宽至24周岁），政治、身体条件符合征兵要求"],
      guide="通过全国征兵网报名，之后参加初检初考、体检和政治考核，合格的批准入伍"),
    T("大学生入伍学费补偿和国家助学贷款代偿申请", "JYJ", ["P04", "P05"], depth="full", legal=30, prom=20,
      mats=["id", "入伍通知书", "学费缴纳凭证"], f=["school:就读学校:text", "amount"],
      al=["当兵退学费", "入伍学费补偿"], pop=70, kind="other",
      cond=["应征入伍服义务兵役的高校学生和毕业生"]),
    T("义务兵家庭优待金发放", "TYJRJ", ["P05", "P13"], depth="full", legal=30, prom=15,
      mats=["入伍批准书", "hk", "bank"], f=["soldier_name:义务兵姓名:text", "bankno"],
      al=["当兵家属补助", "优待金"], pop=110, kind="other",
      cond=["从本市入伍的义务兵家庭"]),
    T("退役士兵自主就业一次性经济补助发放", "TYJRJ", ["P05", "P13"], depth="full", legal=30, prom=15,
      mats=["vet", "id", "bank"], f=["service_years:服役年限:number", "bankno"],
      al=["退伍补助金", "退役一次性补助"], pop=120, kind="other",
      cond=["选择自主就业并在本市落户的退役士兵"]),
    T("退役军人优待证申领", "TYJRJ", ["P13", "P17"], depth="full", legal=30, prom=20,
      mats=["vet", "id", "photo|electronic"], f=[DLV],
      al=["办优待证", "军人优待卡"], pop=260,
      cond=["户籍在本地的退役军人和其他优抚对象"]),
    T("伤残抚恤关系接收", "TYJRJ", ["P13"], depth="apply", legal=30, prom=15,
      mats=["id", "残疾军人证", "伤残抚恤关系转移证明"], al=["残疾军人转关系"], pop=20, kind="other",
      cond=["户籍迁入本市的残疾退役军人"]),
    T("在乡老复员军人定期定量补助发放", "TYJRJ", ["P13"], scope="county", depth="apply", legal=30, prom=15,
      mats=["vet", "id", "bank"], f=["bankno"], al=["老复员军人补助"], pop=15, kind="other",
      cond=["在农村居住的1954年10月31日前入伍的老复员军人"]),
    T("烈士遗属定期抚恤金发放", "TYJRJ", ["P13", "P30"], depth="apply", legal=30, prom=15,
      mats=["id", "烈士证明书", "与烈士关系证明", "bank"], f=["bankno"], al=["烈属抚恤金"], pop=12,
      kind="other", cond=["烈士的父母（抚养人）、配偶、子女等遗属"]),
    T("就业登记", "RSJ", ["P06"], scope="both", depth="full", legal=5, prom=0,
      mats=["id", "劳动合同或工作证明"],
      f=["employer:就业单位:text", "start_date:就业日期:date",
         "employment_type:就业形式:select:employee=单位就业|flexible=灵活就业|self=自主创业"],
      tags=["social_security"], al=["找到工作登记", "就业证明"], pop=420,
      cond=["在法定劳动年龄内、已实现就业的劳动者"]),
    T("失业登记", "RSJ", ["P06", "P29"], scope="both", depth="full", legal=5, prom=0,
      mats=["id", "?解除或终止劳动合同证明"],
      f=["last_employer:原工作单位:text", "leave_date:离职日期:date",
         "want_job:求职意向:text"],
      tags=["social_security"], al=["失业了怎么办", "登记失业", "没工作登记"], pop=460,
      cond=["在法定劳动年龄内、有劳动能力和就业要求、处于无业状态的人员"],
      guide="失业登记后可以享受免费职业介绍、职业培训等就业服务，符合条件的还可申领失业保险金"),
    T("失业保险金申领", "RSJ", ["P06", "P16", "P29"], depth="full", legal=10, prom=3,
      mats=["id", "解除或终止劳动关系证明", "bank"], f=["last_employer:原工作单位:text", "bankno"],
      tags=["social_security"], al=["领失业金", "失业补助", "失业救济金"], pop=700,
      cond=["非本人意愿中断就业、已办理失业登记、参加失业保险缴费满一年的人员"],
      guide="失业保险金按月发放到本人社保卡金融账户，领取期间同时参加职工医保"),
    T("失业补助金申领", "RSJ", ["P06", "P16"], depth="full", legal=10, prom=5,
      mats=["id", "bank"], f=["bankno"], tags=["social_security"], al=["失业补助金"], pop=160, kind="other",
      cond=["领取失业保险金期满仍未就业，或参保不满一年的失业人员"]),
    T("就业困难人员认定", "RSJ", ["P06"], scope="town", depth="full", legal=15, prom=10,
      mats=["id", "?dis", "家庭困难情况证明材料"],
      f=["category:困难类别:select:age=大龄失业人员|disabled=残疾人|poor=低保家庭成员|zero=零就业家庭成员"],
      tags=["social_security"], al=["困难人员认定", "就业援助"], pop=130,
      cond=["已办理失业登记、属于大龄、残疾、低保家庭等就业困难群体的人员"]),
    T("创业担保贷款申请", "RSJ", ["P06", "E09"], depth="apply", legal=20, prom=15,
      mats=["申请人身份证件或营业执照", "创业项目计划书", "营业执照或经营许可证明", "?auth"],
      f=["amount", "project:创业项目名称:text", "premises"],
      al=["创业贷款", "贴息贷款", "开店贷款"], pop=280,
      cond=["在本市创业的个人（贷款最高30万元）或小微企业（最高300万元），符合创业担保贷款条件"]),
    T("一次性创业资助申领", "RSJ", ["P06"], depth="full", legal=20, prom=15,
      mats=["id", "bl", "bank"], f=["bankno", "start_date:创业实体成立日期:date"],
      al=["创业补贴", "开店补贴"], pop=220, kind="other",
      cond=["毕业5年内高校毕业生、返乡创业人员、退役军人等首次创业并正常经营6个月以上"]),
    T("职业培训补贴申领", "RSJ", ["P06", "P10"], depth="full", legal=20, prom=15,
      mats=["id", "职业资格证书或职业技能等级证书", "培训费发票", "bank"],
      f=["training:培训项目:text", "bankno"], al=["培训补贴", "学技术补贴"], pop=240, kind="other",
      cond=["参加职业技能培训并取得证书的劳动者"]),
    T("流动人员人事档案接收", "RSJ", ["P06"], depth="apply", legal=10, prom=3,
      mats=["id", "档案转递通知或原存档机构调档函"], f=["from_org:原存档单位:text"],
      al=["档案放哪里", "存档案", "毕业生档案"], pop=260,
      cond=["在本市就业、未落实接收单位的高校毕业生和流动人员"]),
    T("流动人员人事档案转递", "RSJ", ["P06", "P29"], depth="full", legal=10, prom=3,
      mats=["id", "接收单位调档函"], f=["to_org:接收单位:text"], al=["调档案", "转档案"], pop=150,
      cond=["档案存放在本市人才服务机构、需转出的人员"]),
    T("劳动人事争议仲裁申请", "RSJ", ["P06", "E06", "E30"], depth="apply", legal=45, prom=45,
      mats=["仲裁申请书", "申请人身份证件或营业执照", "劳动关系证明材料", "证据材料"],
      f=["respondent:被申请人:text", "claim:仲裁请求:textarea"],
      al=["劳动仲裁", "告老板", "讨薪仲裁"], pop=300, kind="other",
      cond=["发生劳动人事争议的劳动者或用人单位"]),
    T("拖欠工资投诉举报", "RSJ", ["P06", "P21"], depth="full", legal=60, prom=20,
      mats=["id", "劳动关系和欠薪证据材料"], f=["employer:被投诉单位:text", "amount", "reason"],
      al=["讨工资", "老板欠薪", "欠薪投诉"], pop=340, kind="other",
      cond=["被用人单位拖欠工资的劳动者"]),
    # ---------------------------------------------------------------- professional qualifications
    T("专业技术人员职称评审申报", "RSJ", ["P10"], depth="full", legal=90, prom=60,
      mats=["id", "deg", "现有职称证书", "业绩成果材料"],
      f=["series:职称系列:text", "level:申报级别:select:junior=初级|middle=中级|senior=副高级"],
      al=["评职称", "职称申报"], pop=330,
      cond=["符合相应职称系列评价标准的专业技术人员"]),
    T("职业技能等级认定报名", "RSJ", ["P06", "P10"], depth="full", legal=30, prom=20,
      mats=["id", "?deg", "?photo|electronic"],
      f=["occupation:职业（工种）:text", "level:申报等级:select:5=五级/初级工|4=四级/中级工|3=三级/高级工"],
      al=["考技能证", "考电工证", "技工证"], pop=290, cond=["从事或准备从事相应职业的劳动者"]),
    T("医师执业注册", "WJJ", ["P10", "P28"], depth="full", legal=20, prom=10,
      mats=["id", "医师资格证书", "拟执业机构的聘用证明", "6个月内的健康证明"],
      f=["hospital:拟执业机构:text", "scope:执业范围:text"],
      al=["医生执业证", "医师注册"], pop=180, cond=["取得医师资格、在本市医疗机构执业的医师"]),
    T("护士执业注册", "WJJ", ["P10", "P28"], depth="full", legal=20, prom=10,
      mats=["id", "护士执业资格考试成绩合格证明", "拟执业机构的聘用证明", "6个月内的健康证明"],
      f=["hospital:拟执业机构:text"], al=["护士证注册"], pop=160,
      cond=["通过护士执业资格考试、在本市医疗机构执业的护士"]),
    T("律师执业许可", "SFJ", ["P10", "P23"], depth="full", legal=30, prom=20,
      mats=["id", "法律职业资格证书", "律师协会出具的实习考核合格材料", "拟执业律师事务所同意接收证明"],
      f=["firm:拟执业律师事务所:text"], al=["律师证", "做律师"], pop=40,
      cond=["取得法律职业资格并在律师事务所实习满一年的人员"]),
    T("特种设备作业人员资格认定", "SCJGJ", ["P10", "E26"], depth="full", legal=20, prom=15,
      mats=["申请人身份证件", "学历证明", "体检报告", "考试合格证明"],
      f=["item:作业项目:select:boiler=锅炉操作|elevator=电梯安全管理|forklift=叉车司机|crane=起重机指挥",
         ],
      tags=["quality"], al=["考叉车证", "电梯证", "锅炉证"], pop=240,
      cond=["年满18周岁、身体健康并经考试合格的作业人员"]),
    T("建筑施工特种作业人员操作资格证核发", "ZJJ", ["P10", "E16"], depth="full", legal=20, prom=10,
      mats=["申请人身份证件", "体检合格证明", "考核合格证明", "photo|electronic"],
      f=["item:作业类别:select:electrician=建筑电工|scaffolder=建筑架子工|tower_crane=塔式起重机司机|hoist=施工升降机司机"],
      al=["建筑电工证", "塔吊证", "架子工证"], pop=130,
      cond=["年满18周岁、初中以上学历、经考核合格的建筑施工特种作业人员"]),
    T("特种作业操作证申领", "YJGLJ", ["P10", "E28"], depth="full", legal=20, prom=10,
      mats=["申请人身份证件", "学历证明", "体检证明", "考试合格证明"],
      f=["item:作业类别:select:electric=电工作业|welding=焊接与热切割作业|height=高处作业"],
      al=["电工证", "焊工证", "登高证"], pop=270,
      cond=["从事电工、焊接、高处作业等特种作业的人员"]),
    T("导游证核发", "WGLTJ", ["P10", "P19"], depth="full", legal=10, prom=5,
      mats=["id", "导游资格证书", "与旅行社订立的劳动合同或导游行业组织注册证明", "photo|electronic"],
      f=["agency:所属旅行社或行业组织:text"], al=["办导游证"], pop=45,
      cond=["取得导游资格证书并与旅行社订立劳动合同或在导游行业组织注册的人员"]),
    T("道路运输从业人员从业资格证核发", "JTYSJ", ["P10", "P18"], depth="full", legal=10, prom=5,
      mats=["dl", "id", "从业资格考试合格证明"],
      f=["category:从业类别:select:passenger=道路旅客运输驾驶员|freight=道路货物运输驾驶员|taxi=出租汽车驾驶员"],
      al=["货运资格证", "客运资格证", "开货车资格证"], pop=260,
      cond=["取得相应准驾车型驾驶证并经考试合格的驾驶员"]),
    T("网络预约出租汽车驾驶员证核发", "JTYSJ", ["P08", "P18"], depth="full", legal=20, prom=10,
      mats=["dl", "id", "无犯罪记录证明", "考试合格证明"], f=["platform:服务平台:text"],
      al=["网约车司机证", "开滴滴要什么证"], pop=230,
      cond=["取得相应准驾车型驾驶证并具有3年以上驾驶经历、无交通肇事犯罪等记录的驾驶员"]),
]

TEMPLATES += [
    # ---------------------------------------------------------------- marriage
    T("结婚登记（内地居民）", "MZJ", ["P12"], kind="other", scope="both", depth="onsite", legal=1, prom=0,
      mats=["男女双方居民身份证|original", "男女双方居民户口簿|original", "photo"],
      f=["partner_name:另一方姓名:text", "partner_id_number:另一方身份证号码:id_number",
         "appointment_date:预约登记日期:date"],
      al=["领结婚证", "登记结婚", "扯证"], pop=860,
      cond=["男满22周岁、女满20周岁，双方自愿，均无配偶，没有禁止结婚的亲属关系"],
      guide="可先在粤省事或广东政务服务网预约登记日期，男女双方须共同到场，材料齐全的当场发给结婚证"),
    T("离婚登记（内地居民）", "MZJ", ["P12"], kind="other", scope="both", depth="onsite", legal=30, prom=30, visits=2, mats=["双方居民身份证|original", "双方居民户口簿|original", "mar", "离婚协议书", "photo"],
      f=["partner_name:另一方姓名:text", "appointment_date:预约日期:date"],
      al=["办离婚", "协议离婚"], pop=300,
      cond=["双方自愿离婚，并对子女抚养、财产及债务处理等事项协商一致"],
      guide="双方共同到场提交申请后有30日离婚冷静期，期满后30日内双方再到场领取离婚证"),
    T("补领婚姻登记证", "MZJ", ["P12", "P17"], depth="apply", legal=30, prom=0,
      mats=["id", "hk", "photo"], f=["cert_type:补领证件:select:marriage=结婚证|divorce=离婚证",
                                    "reg_place:原登记机关:text"],
      al=["结婚证丢了", "补结婚证", "补离婚证"], pop=200, kind="public_service",
      cond=["结婚证、离婚证遗失或损毁的当事人"]),
    T("涉外、涉港澳台居民及华侨结婚登记", "MZJ", ["P12"], kind="other", depth="onsite", legal=1, prom=0,
      mats=["内地居民居民身份证和户口簿|original", "港澳台居民或外国人有效身份证件及无配偶证明", "photo"],
      f=["partner_name:另一方姓名:text", "partner_region:另一方身份:select:hk=香港居民|mo=澳门居民|tw=台湾居民|oc=华侨|fr=外国人",
         "appointment_date:预约登记日期:date"],
      al=["和外国人结婚", "涉外婚姻", "和香港人结婚"], pop=90,
      cond=["一方为内地居民、另一方为港澳台居民、华侨或外国人"]),
    T("婚姻登记档案查询", "MZJ", ["P12"], depth="full", legal=5, prom=1,
      mats=["id"], f=["query_purpose:查询用途:text", DLV], al=["婚姻证明", "查结婚记录", "单身证明"], pop=190,
      cond=["婚姻当事人本人或其委托的代理人"]),
    # ---------------------------------------------------------------- mortgage, fees
    T("不动产抵押登记", "BDCDJ", ["P09", "E10"], kind="other", scope="both", depth="full", legal=30, prom=3,
      fees=[("不动产登记费（住宅）", "80元/件"), ("不动产登记费（非住宅）", "550元/件")],
      mats=["抵押人和抵押权人身份证件或营业执照", "prop", "抵押合同", "主债权合同"],
      f=["property_no:不动产权证号:text", "mortgagee:抵押权人:text", "amount:被担保债权数额（元）:number"],
      al=["房子抵押", "办抵押", "房贷抵押登记"], pop=520,
      cond=["以不动产设定抵押的抵押人与抵押权人"],
      guide="银行可代为网上申请，抵押登记办结后生成不动产登记证明电子证照"),
    T("不动产抵押注销登记", "BDCDJ", ["P09", "E10"], kind="other", depth="full", legal=30, prom=1,
      mats=["申请人身份证件或营业执照", "不动产登记证明", "抵押权消灭的材料（还清贷款证明）"],
      f=["cert_no:不动产登记证明号:text"], al=["解押", "还清房贷解押", "注销抵押"], pop=420,
      cond=["主债权消灭或抵押权人放弃抵押权等情形"]),
    T("机动车抵押登记", "GAJ", ["P09", "P18", "E10"], kind="other", depth="apply", legal=1, prom=0,
      mats=["申请人身份证件或营业执照", "机动车登记证书", "抵押合同"],
      f=["plate_no:号牌号码:text", "mortgagee:抵押权人:text"], al=["车子抵押", "车贷抵押"], pop=260,
      cond=["以机动车设定抵押的所有人和抵押权人"]),
    T("动产抵押登记", "SCJGJ", ["P09", "E10"], kind="other", depth="full", legal=1, prom=0,
      mats=["申请人身份证件或营业执照", "抵押合同", "抵押物清单"],
      f=["collateral:抵押物概况:textarea", "amount:被担保债权数额（元）:number"],
      tags=["business"], al=["设备抵押", "动产抵押"], pop=60,
      cond=["以生产设备、原材料、产品等动产设定抵押的企业、个体工商户、农业生产经营者"]),
    T("股权出质登记", "SCJGJ", ["E10"], kind="other", depth="full", legal=3, prom=1,
      mats=["出质人和质权人签署的登记申请书", "质押合同", "出质人和质权人主体资格证明"],
      f=["pledged_company:股权所在公司:text", "pledged_amount:出质股权数额（万元）:number"],
      tags=["business"], al=["股权质押"], pop=70, cond=["以持有的有限责任公司或股份有限公司股权出质的"]),
    T("专利权质押登记", "SCJGJ", ["P09", "P24", "E10", "E24"], kind="other", depth="full", legal=7, prom=3,
      mats=["专利权质押登记申请表", "主合同和质押合同", "出质人和质权人身份证件或营业执照"],
      f=["patent_no:专利号:text", "amount:担保债权数额（元）:number"], al=["专利贷款", "知识产权质押融资"], pop=45,
      cond=["以专利权出质的专利权人和质权人"]),
    T("城乡居民基本医疗保险费缴纳", "SWJ", ["P11", "P16"], scope="both", depth="full", legal=1, prom=0,
      fees=[("城乡居民医保个人缴费", "按当年度筹资标准缴纳")], mats=["id"],
      f=["insured_name:参保人姓名:text", "insured_id_number:参保人身份证号码:id_number", "year:缴费年度:number"],
      tags=["tax", "social_security"], al=["交医保", "交农村合作医疗", "交居民医保"], pop=950,
      cond=["已参加本市城乡居民基本医疗保险的人员"],
      guide="每年集中缴费期内可通过粤税通、粤省事或银行渠道缴纳下一年度城乡居民医保费"),
    T("城乡居民基本养老保险费缴纳", "SWJ", ["P11", "P16"], depth="full", legal=1, prom=0,
      fees=[("城乡居民养老保险个人缴费", "按本人选择的缴费档次缴纳")], mats=["id"],
      f=["grade:缴费档次（元/年）:select:180=180元|300=300元|500=500元|1000=1000元|2000=2000元|3600=3600元"],
      tags=["tax", "social_security"], al=["交养老保险", "交农保", "交社保"], pop=780,
      cond=["已参加城乡居民基本养老保险的人员"]),
    T("灵活就业人员社会保险费缴纳", "SWJ", ["P11", "P16"], depth="full", legal=1, prom=0,
      fees=[("企业职工基本养老保险费", "按本人选择的缴费基数缴纳")], mats=["id"],
      f=["base:缴费基数（元/月）:number", "months:缴费月数:number"],
      tags=["tax", "social_security"], al=["个人交社保", "自己交社保", "自由职业交社保"], pop=720,
      cond=["以个人身份参加企业职工基本养老保险的灵活就业人员"]),
    T("交通违法罚款缴纳", "GAJ", ["P11", "P18"], depth="full", legal=15, prom=0,
      fees=[("交通违法罚款", "按处罚决定书金额")], mats=["dl"],
      f=["decision_no:处罚决定书编号:text", "plate_no:号牌号码:text"],
      al=["交罚款", "违章罚款", "交违章"], pop=740,
      cond=["已收到交通违法处罚决定书的当事人"]),
    T("非税收入电子缴款", "CZJ", ["P11", "E05"], depth="full", legal=1, prom=0,
      fees=[("政府非税收入", "按缴款通知书金额")], mats=["缴款通知书"],
      f=["notice_no:缴款通知书编号:text", "amount"], al=["交行政事业性收费", "网上缴费"], pop=310,
      cond=["收到执收单位缴款通知书的单位和个人"]),
    T("个人所得税综合所得年度汇算", "SWJ", ["P11"], depth="full", legal=90, prom=0,
      mats=["id"], f=["year:汇算年度:number", "?special_deduction:专项附加扣除项目:textarea"],
      tags=["tax"], al=["个税退税", "退个税", "个税汇算"], pop=820,
      cond=["取得综合所得、需要补税或申请退税的居民个人"],
      guide="每年3月1日至6月30日通过个人所得税App办理，退税款直接退到本人银行卡"),
    T("完税证明开具", "SWJ", ["P11", "E05"], depth="full", legal=1, prom=0,
      mats=["申请人身份证件或营业执照"], f=["period:所属期间:text"],
      tags=["tax"], al=["纳税证明", "个税证明", "打完税证明"], pop=450,
      cond=["已缴纳税款的纳税人"]),
]

TEMPLATES += [
    # ---------------------------------------------------------------- housing, housing fund, planning
    T("住房公积金提取（购买自住住房）", "GJJ", ["P15"], depth="full", legal=3, prom=1,
      mats=["id", "购房合同或不动产权证书", "购房款发票或付款凭证", "bank"],
      f=["house_address:所购住房地址:textarea", "purchase_date:购房日期:date", "amount", "bankno"],
      tags=["housing_fund"], al=["提公积金", "买房提公积金", "公积金取出来"], pop=940,
      cond=["购买本市或户籍地自住住房的缴存职工及其配偶"],
      guide="购房后可以提取本人及配偶的住房公积金，资料齐全的当日审批、次日到账"),
    T("住房公积金提取（租赁住房）", "GJJ", ["P15"], depth="full", legal=3, prom=1,
      mats=["id", "?房屋租赁合同", "bank"], f=["rent_address:租住地址:textarea", "bankno"],
      tags=["housing_fund"], al=["租房提公积金", "提公积金交房租"], pop=880,
      cond=["在本市无自有住房且租房居住的缴存职工"],
      guide="无房职工每年可按规定额度提取公积金支付房租，可设置按月或按年自动提取"),
    T("住房公积金提取（偿还住房贷款）", "GJJ", ["P15", "P09"], depth="full", legal=3, prom=1,
      mats=["id", "借款合同", "bank"], f=["loan_bank:贷款银行:text", "bankno"],
      tags=["housing_fund"], al=["公积金还房贷", "提公积金还贷款"], pop=860,
      cond=["偿还自住住房商业贷款或公积金贷款本息的缴存职工"]),
    T("住房公积金提取（离休、退休）", "GJJ", ["P15", "P29"], depth="full", legal=3, prom=1,
      mats=["id", "退休证明", "bank"], f=["bankno"],
      tags=["housing_fund"], al=["退休提公积金", "退休销户公积金"], pop=520,
      cond=["已办理离休、退休手续的缴存职工"]),
    T("住房公积金提取（职工死亡或被宣告死亡）", "GJJ", ["P15", "P30"], depth="apply", legal=3, prom=1,
      mats=["死亡证明或宣告死亡的法律文书", "继承人或受遗赠人身份证件", "继承或受遗赠权益证明（公证书或判决书）", "bank"],
      f=["dname", "didno", "heir_relation:申请人与逝者关系:text", "bankno"],
      tags=["housing_fund"], al=["去世后提公积金", "继承公积金"], pop=120,
      cond=["缴存职工死亡或被宣告死亡的，由其继承人或受遗赠人申请"]),
    T("住房公积金个人住房贷款申请", "GJJ", ["P15", "P09"], depth="apply", legal=15, prom=10,
      mats=["借款人及配偶居民身份证|original", "?mar", "购房合同", "首付款凭证", "收入证明"],
      f=["house_address:所购住房地址:textarea", "loan_amount:申请贷款金额（万元）:number",
         "loan_years:贷款年限:select:10=10年|15=15年|20=20年|25=25年|30=30年"],
      tags=["housing_fund"], al=["公积金贷款", "用公积金买房贷款", "公积金房贷"], pop=700,
      cond=["连续足额缴存公积金6个月以上，购买、建造自住住房的职工"],
      guide="公积金贷款利率低于商业贷款，可以与商业银行组合贷款，额度根据缴存情况和还款能力计算"),
    T("住房公积金缴存证明出具", "GJJ", ["P15"], depth="full", legal=1, prom=0,
      mats=["id"], f=["purpose:用途:text"], tags=["housing_fund"], al=["公积金证明", "打公积金明细"], pop=480,
      cond=["在本市缴存住房公积金的职工"]),
    T("住房公积金个人账户转移", "GJJ", ["P15", "P06"], depth="full", legal=5, prom=3,
      mats=["id"], f=["from_city:转出地:text", "?from_center:原公积金中心:text"],
      tags=["housing_fund"], al=["公积金转移", "换城市公积金转过来"], pop=380,
      cond=["异地工作变动、在新就业地已开立公积金账户的职工"]),
    T("灵活就业人员住房公积金自愿缴存登记", "GJJ", ["P15", "P31"], depth="full", legal=3, prom=1,
      mats=["id", "bank"], f=["base:缴存基数（元/月）:number", "bankno"],
      tags=["housing_fund"], al=["个人交公积金", "自由职业交公积金", "个体户交公积金"], pop=260,
      cond=["在本市就业的个体工商户、自由职业者等灵活就业人员"]),
    T("公共租赁住房申请", "ZJJ", ["P15"], depth="apply", legal=60, prom=40,
      mats=["申请人及家庭成员身份证件和户口簿", "家庭收入和财产情况证明", "?mar"],
      f=["family_size:家庭人口数:number", "monthly_income:家庭人均月收入（元）:number", "addr"],
      al=["申请公租房", "廉租房", "政府房子"], pop=330,
      cond=["本地城镇中低收入住房困难家庭、新就业无房职工和外来务工人员"]),
    T("商品房买卖合同网签备案", "ZJJ", ["P15", "E16"], depth="full", legal=3, prom=1,
      mats=["买受人身份证件或营业执照", "商品房买卖合同"],
      f=["project:楼盘名称:text", "room_no:房号:text", "price:成交总价（元）:number"],
      al=["网签", "买房备案", "新房合同备案"], pop=500,
      cond=["购买新建商品房的买受人与房地产开发企业"]),
    T("存量房交易资金监管", "ZJJ", ["P15"], depth="full", legal=3, prom=1,
      mats=["买卖双方身份证件", "prop", "存量房买卖合同"], f=["price:成交价（元）:number"],
      al=["二手房资金监管", "买二手房交钱"], pop=210,
      cond=["在本市交易二手房的买卖双方"]),
    T("不动产登记（二手房转移登记）", "BDCDJ", ["P15", "E16"], kind="other", scope="both", depth="apply", legal=30, prom=3,
      fees=[("不动产登记费（住宅）", "80元/件"), ("证书工本费", "第一本免收，每增加一本10元")],
      mats=["买卖双方身份证件", "prop", "存量房买卖合同", "完税凭证", "?mar"],
      f=["property_no:不动产权证号:text", "price:成交价（元）:number",
         "share:共有方式:select:single=单独所有|joint=共同共有|shares=按份共有"],
      al=["二手房过户", "房子过户", "买房过户"], pop=800,
      cond=["买卖双方已签订存量房买卖合同并完成缴税"],
      guide="登记、交易、缴税一窗受理，买卖双方可在粤省事或广东政务服务网预约后到窗口一次办结，领取新的不动产权证书"),
    T("不动产登记（新建商品房首次转移登记）", "BDCDJ", ["P15"], kind="other", scope="both", depth="full", legal=30, prom=5,
      fees=[("不动产登记费（住宅）", "80元/件")],
      mats=["id", "商品房买卖合同", "购房发票", "契税完税凭证", "?mar"],
      f=["project:楼盘名称:text", "room_no:房号:text", DLV],
      al=["新房办证", "办房产证", "收楼办证"], pop=720,
      cond=["已交付使用并完成首次登记的新建商品房买受人"]),
    T("不动产登记资料查询", "BDCDJ", ["P15", "E16"], depth="full", legal=1, prom=0,
      mats=["申请人身份证件或营业执照"], f=["query_type:查询类型:select:own=名下房产|property=指定不动产"],
      al=["查房产", "名下有没有房", "无房证明"], pop=610,
      cond=["不动产权利人、利害关系人或其委托的人"]),
    T("不动产继承登记", "BDCDJ", ["P15", "P30"], kind="other", depth="onsite", legal=30, prom=10,
      fees=[("不动产登记费（住宅）", "80元/件")],
      mats=["继承人身份证件", "prop", "death", "亲属关系证明", "继承公证书或全体继承人签署的继承协议"],
      f=["dname", "property_no:不动产权证号:text"],
      al=["房子继承", "父母房产过户给子女"], pop=260,
      cond=["因继承、受遗赠取得不动产的继承人或受遗赠人"]),
    T("建设工程规划许可证核发", "ZRZYJ", ["P14", "E16"], scope="both", depth="full", legal=20, prom=10,
      mats=["申请人身份证件或营业执照", "不动产权属证明", "建设工程设计方案总平面图", "建筑施工图"],
      f=["project", "projaddr", "area"],
      al=["工程规划证", "建房规划许可"], pop=230,
      cond=["在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设的"]),
    T("乡村建设规划许可证核发", "ZRZYJ", ["P14"], scope="town", depth="full", legal=20, prom=10,
      mats=["id", "宅基地批准文件或土地使用权证明", "建房设计图"],
      f=["projaddr", "area", "floors:层数:number"],
      al=["农村建房审批", "起房子规划", "自建房报建"], pop=300,
      cond=["在乡、村庄规划区内进行农村村民住宅建设的村民"]),
    T("农村村民宅基地申请", "NYNCJ", ["P14", "P15"], scope="town", depth="apply", legal=20, prom=15, kind="licensing",
      mats=["id", "hk", "村民小组同意建房的决议", "现住房情况说明"],
      f=["site_address:拟建房地点:textarea", "site_area:申请宅基地面积（平方米）:number",
         "family_size:家庭人口:number"],
      al=["批宅基地", "农村起屋", "申请建房用地"], pop=280,
      cond=["本集体经济组织成员，符合一户一宅规定的农村村民"]),
    T("房屋安全鉴定申请", "ZJJ", ["P14"], depth="apply", legal=30, prom=15,
      mats=["id", "房屋权属证明", "房屋现状照片"], f=["house_address:房屋地址:textarea", "reason"],
      al=["危房鉴定", "房子裂了怎么办"], pop=90, cond=["房屋所有人或使用人"]),
]

TEMPLATES += [
    # ---------------------------------------------------------------- social security and assistance
    T("城乡居民基本养老保险参保登记", "RSJ", ["P16"], scope="both", depth="full", legal=5, prom=0,
      mats=["id", "?hk"], f=["hukou_type:户籍类别:select:rural=农村户籍|urban=城镇户籍", "addr"],
      tags=["social_security"], al=["参加农保", "买养老保险", "居民养老保险"], pop=690,
      cond=["年满16周岁（不含在校学生）、未参加职工养老保险的本地户籍居民"],
      guide="城乡居民养老保险每年按自选档次缴费，年满60周岁且累计缴费满15年可以按月领取养老金"),
    T("城乡居民基本医疗保险参保登记", "YBJ", ["P16", "P28"], scope="both", depth="full", legal=5, prom=0,
      mats=["id", "?hk", "?resid"], f=["insured_type:参保人员类别:select:resident=城乡居民|student=学生儿童|newborn=新生儿"],
      tags=["social_security"], al=["参加医保", "买医保", "新生儿医保"], pop=780,
      cond=["本地户籍或持本地居住证、未参加职工医保的城乡居民"]),
    T("社会保障卡申领", "RSJ", ["P16", "P17"], scope="both", depth="full", legal=15, prom=5,
      mats=["id", "photo|electronic"], f=["bank_choice:发卡银行:text", DLV],
      tags=["social_security"], al=["办社保卡", "社保卡申请", "领社保卡"], pop=840,
      cond=["在本市参加社会保险或户籍在本市的人员"],
      guide="社保卡具有身份凭证、就医结算、待遇领取和金融支付功能，可同时申领电子社保卡"),
    T("社会保障卡挂失、补换", "RSJ", ["P16", "P17"], depth="full", legal=15, prom=5,
      fees=[("社会保障卡补换卡工本费", "免收")], mats=["id"],
      f=["action:业务类型:select:loss=临时挂失|replace=补卡|renew=换卡", DLV],
      tags=["social_security"], al=["社保卡丢了", "补社保卡", "社保卡挂失"], pop=560,
      cond=["社保卡遗失、损坏或需更换的持卡人"]),
    T("个人社会保险参保缴费证明打印", "RSJ", ["P16", "P06"], depth="full", legal=1, prom=0,
      mats=["id"], f=["period:查询期间:text"], tags=["social_security"],
      al=["社保证明", "打印社保清单", "社保缴费记录"], pop=880,
      cond=["在本市参加社会保险的个人"],
      guide="可以自助打印带电子印章的参保证明，用于购房、入学、落户等"),
    T("基本养老保险关系转移接续", "RSJ", ["P16", "P06"], depth="full", legal=45, prom=15,
      mats=["id", "?参保缴费凭证"], f=["from_place:原参保地:text"],
      tags=["social_security"], al=["社保转移", "养老保险转过来", "换城市转社保"], pop=520,
      cond=["跨统筹地区流动就业、需转移养老保险关系的参保人员"]),
    T("养老保险待遇申领（退休）", "RSJ", ["P29", "P16"], scope="both", depth="full", legal=20, prom=10,
      mats=["id", "bank", "?职工档案"], f=["retire_date:退休日期:date", "bankno"],
      tags=["social_security"], al=["办退休", "领退休金", "退休手续", "领养老金"], pop=760,
      cond=["达到法定退休年龄、累计缴费满15年的企业职工基本养老保险参保人"],
      guide="到达退休年龄前可先在网上核对缴费记录，审核通过后次月起按月发放养老金"),
    T("城乡居民基本养老保险待遇申领", "RSJ", ["P29", "P16"], scope="both", depth="full", legal=20, prom=10,
      mats=["id", "bank"], f=["bankno"], tags=["social_security"],
      al=["60岁领养老金", "领农保", "农村养老金"], pop=620,
      cond=["年满60周岁、累计缴费满15年且未领取其他基本养老保险待遇的参保人"]),
    T("养老保险待遇领取资格认证", "RSJ", ["P29", "P16"], scope="village", depth="full", legal=1, prom=0,
      mats=["id"], f=["auth_way:认证方式:select:face=人脸识别|visit=上门认证|agent=村居代办"],
      tags=["social_security"], al=["退休人员认证", "养老金认证", "生存认证"], pop=450,
      cond=["正在领取养老保险待遇的离退休人员和城乡居民养老保险待遇领取人"],
      guide="每年认证一次，可用手机人脸识别完成，行动不便的老人可由村居工作人员上门协助"),
    T("死亡人员丧葬补助金领取", "RSJ", ["P30", "P16"], scope="both", depth="full", legal=20, prom=5,
      mats=["death", "申领人身份证件", "与死者关系证明", "bank"],
      f=["dname", "didno", "ddate", "relation:申领人与死者关系:text", "bankno"],
      tags=["social_security"], al=["领丧葬费", "老人去世领抚恤金", "丧葬补助"], pop=380,
      cond=["参保人员死亡，由其直系亲属或合法继承人申领"],
      guide="参保人因病或非因工死亡的，遗属可领取丧葬补助金和抚恤金，个人账户余额可依法继承"),
    T("城乡居民养老保险参保人死亡待遇申领", "RSJ", ["P30", "P16"], depth="full", legal=20, prom=5,
      mats=["death", "申领人身份证件", "与死者关系证明", "bank"], f=["dname", "didno", "ddate", "bankno"],
      tags=["social_security"], al=["农保个人账户继承", "居民养老保险丧葬费"], pop=210,
      cond=["城乡居民养老保险参保人死亡后，由其法定继承人申领丧葬补助金和个人账户余额"]),
    T("工伤认定申请", "RSJ", ["P16", "E07"], depth="apply", legal=60, prom=30,
      mats=["工伤认定申请表", "劳动关系证明", "医疗诊断证明", "受伤职工身份证件"],
      f=["injured_name:受伤职工姓名:text", "injury_date:受伤日期:date", "employer:用人单位:text",
         "injury_desc:事故经过:textarea"],
      tags=["social_security"], al=["工伤申报", "上班受伤", "工伤认定"], pop=300, kind="other",
      cond=["职工发生事故伤害或被诊断为职业病，由用人单位、职工或其近亲属申请"]),
    T("工伤保险待遇申领", "RSJ", ["P16", "E07"], depth="full", legal=20, prom=10,
      mats=["工伤认定决定书", "医疗费用票据和清单", "劳动能力鉴定结论（如有）", "bank"],
      f=["injured_name:受伤职工姓名:text", "amount", "bankno"],
      tags=["social_security"], al=["工伤报销", "工伤赔偿"], pop=240, kind="other",
      cond=["已认定工伤的参保职工"]),
    T("基本医疗保险异地就医备案", "YBJ", ["P16", "P28"], depth="full", legal=1, prom=0,
      mats=["id"], f=["type:备案类型:select:resident=异地长期居住|work=异地工作|referral=转诊就医|temp=临时外出就医",
                       "place:就医地:text", "start_date:备案开始日期:date"],
      tags=["social_security"], al=["异地看病备案", "外地就医报销", "跨省就医"], pop=760,
      cond=["参加本市基本医疗保险、需在外地就医的参保人"],
      guide="备案后在外地定点医院住院和门诊可直接刷医保卡结算，不用先垫钱再回来报销"),
    T("门诊特定病种待遇认定", "YBJ", ["P16", "P28"], depth="full", legal=10, prom=5,
      mats=["id", "病历和诊断证明", "相关检查报告"],
      f=["disease:病种:select:hypertension=高血压|diabetes=糖尿病|uremia=尿毒症透析|cancer=恶性肿瘤门诊治疗|other=其他",
         "hospital:定点医疗机构:text"],
      tags=["social_security"], al=["慢性病卡", "办特病", "门特"], pop=560,
      cond=["患有门诊特定病种目录内疾病的参保人"]),
    T("医疗费用手工（零星）报销", "YBJ", ["P16", "P28"], scope="both", depth="full", legal=20, prom=10,
      mats=["id", "医疗费用票据", "费用清单", "出院小结或病历", "bank"],
      f=["hospital:就诊医院:text", "amount", "bankno"], tags=["social_security"],
      al=["医保报销", "看病报销", "垫付医药费报销"], pop=640,
      cond=["因急诊、未备案异地就医等原因未能直接结算的参保人"]),
    T("职工医保个人账户家庭共济绑定", "YBJ", ["P16", "P28"], depth="full", legal=1, prom=0,
      mats=["id", "家庭成员关系证明"], f=["member_name:共济家庭成员姓名:text",
                                           "member_id_number:共济家庭成员身份证号码:id_number"],
      tags=["social_security"], al=["医保家人共用", "医保卡给家人用"], pop=420,
      cond=["参加职工基本医疗保险的职工，可绑定配偶、父母、子女"]),
    T("最低生活保障申请", "MZJ", ["P16"], scope="town", depth="apply", legal=30, prom=20,
      mats=["申请人及家庭成员身份证件和户口簿", "家庭收入和财产状况申报", "经济状况核对授权书"],
      f=["family_size:共同生活家庭成员人数:number", "monthly_income:家庭月总收入（元）:number", "reason"],
      al=["申请低保", "吃低保", "困难补助"], pop=400, kind="other",
      cond=["共同生活家庭成员人均收入低于当地低保标准、家庭财产符合规定的本地户籍家庭"],
      guide="向户籍所在地镇（街）提出申请，也可委托村（居）委员会代为申请，经入户调查、公示后审批"),
    T("特困人员救助供养申请", "MZJ", ["P16"], scope="town", depth="apply", legal=30, prom=20,
      mats=["id", "hk", "?dis", "本人收入和财产状况申报"],
      f=["care_type:供养方式:select:home=分散供养|institution=集中供养"], al=["五保户", "特困供养"], pop=150,
      kind="other", cond=["无劳动能力、无生活来源、无法定赡养抚养扶养义务人的老年人、残疾人和未成年人"]),
    T("临时救助申请", "MZJ", ["P16"], scope="town", depth="full", legal=15, prom=5,
      mats=["id", "遭遇困难的相关证明材料"], f=["reason", "amount"], al=["急难救助", "临时困难补助"], pop=170,
      kind="other", cond=["因突发事件、意外伤害、重大疾病等导致基本生活暂时出现严重困难的家庭或个人"]),
    T("高龄老人津贴申领", "MZJ", ["P16"], scope="village", depth="full", legal=20, prom=10,
      mats=["id", "bank"], f=["bankno"], al=["老人补贴", "长寿金", "高龄补贴"], pop=330, kind="other",
      cond=["本地户籍、年满80周岁的老年人"],
      guide="符合条件的老人可由本人或家属申请，也可由村（居）委员会代办，津贴按月发放"),
    T("困难残疾人生活补贴和重度残疾人护理补贴申请", "MZJ", ["P16"], scope="village", depth="full", legal=20, prom=10,
      mats=["id", "dis", "bank"], f=["subsidy:补贴类型:select:living=生活补贴|care=护理补贴|both=两项补贴", "bankno"],
      al=["残疾人补贴", "两项补贴"], pop=220, kind="other",
      cond=["持第二代残疾人证的低保家庭残疾人，或残疾等级为一、二级的重度残疾人"]),
    T("城乡居民医保参保缴费代办", "YBJ", ["P16", "P11"], scope="village", depth="full", legal=1, prom=0,
      mats=["id", "?hk"], f=["family_members:代办参保人数:number"], tags=["social_security"],
      al=["村里交医保", "帮老人交医保"], pop=380, cond=["本村（居）城乡居民，可由村（居）工作人员协助办理"]),
    T("残疾人证办理", "CL", ["P16", "P17"], scope="both", depth="apply", legal=30, prom=15,
      mats=["id", "hk", "photo", "残疾评定机构出具的评定结论"],
      f=["disability_type:残疾类别:select:vision=视力|hearing=听力|speech=言语|physical=肢体|intellectual=智力|mental=精神"],
      al=["办残疾证", "残疾人证申请"], pop=270,
      cond=["符合残疾标准的本地户籍居民"]),
    T("惠民殡葬补贴申领", "MZJ", ["P30", "P16"], depth="full", legal=20, prom=10,
      mats=["death", "火化证明", "申领人身份证件", "bank"], f=["dname", "didno", "bankno"],
      al=["殡葬补贴", "火化费减免", "丧葬费减免"], pop=200, kind="other",
      cond=["户籍在本地、去世后在本市殡仪馆火化的居民"]),
    T("遗体火化和殡葬服务预约", "MZJ", ["P30"], depth="full", legal=1, prom=0,
      mats=["death", "经办人身份证件"], f=["dname", "ddate", "service:服务项目:select:transport=遗体接运|cremation=火化|farewell=告别仪式"],
      al=["殡仪馆预约", "办丧事", "火化预约"], pop=240,
      cond=["逝者家属或其委托的人"]),
    T("居民死亡医学证明（推断）书签发", "WJJ", ["P30", "P28"], scope="both", depth="onsite", legal=1, prom=0,
      mats=["逝者居民身份证或户口簿", "申办人身份证件"], f=["dname", "didno", "ddate",
                                            "death_place:死亡地点:select:hospital=医疗机构内|home=家中|other=其他场所"],
      al=["开死亡证明", "人走了开证明", "死亡证"], pop=360,
      cond=["在医疗机构内死亡或在家中、养老机构等场所正常死亡的居民，由其家属申请"],
      guide="在医院去世的由医院开具，在家中正常死亡的由社区卫生服务机构或乡镇卫生院核实后开具"),
]

TEMPLATES += [
    # ---------------------------------------------------------------- transport, travel, exit-entry
    T("机动车驾驶证期满换证", "GAJ", ["P18", "P17"], depth="full", legal=1, prom=0,
      fees=[("机动车驾驶证工本费", "10元")], mats=["dl", "id", "身体条件证明（医院体检）"],
      f=["licence_no:驾驶证档案编号:text", DLV], al=["换驾照", "驾驶证到期", "驾照换证"], pop=720,
      cond=["机动车驾驶证有效期满前90日内的驾驶人"],
      guide="体检信息由医院联网上传，在交管12123上申请后新驾驶证邮寄到家"),
    T("机动车驾驶证补领", "GAJ", ["P18", "P17"], depth="full", legal=1, prom=0,
      fees=[("机动车驾驶证工本费", "10元")], mats=["id"], f=[DLV], al=["驾照丢了", "补驾照"], pop=430,
      cond=["机动车驾驶证遗失的驾驶人"]),
    T("机动车注册登记", "GAJ", ["P18"], depth="onsite", legal=2, prom=0,
      fees=[("号牌工本费", "100元/副"), ("行驶证工本费", "10元")],
      mats=["id", "购车发票", "机动车整车出厂合格证明", "机动车交通事故责任强制保险凭证", "车辆购置税完税证明"],
      f=["brand:车辆品牌型号:text", "plate_choice:选号方式:select:online=互联网自编选号|random=随机选号"],
      al=["新车上牌", "上车牌", "买车上牌"], pop=580,
      cond=["购买新车的机动车所有人"]),
    T("机动车检验标志核发", "GAJ", ["P18"], depth="full", legal=1, prom=0,
      mats=["vl", "机动车交通事故责任强制保险凭证", "?机动车安全技术检验合格证明"],
      f=["plate_no:号牌号码:text"], al=["年检", "车辆年审", "免检车申领标志"], pop=650,
      cond=["机动车所有人（6年内私家车免上线检验，按期申领电子检验标志）"]),
    T("道路交通违法处理", "GAJ", ["P18"], depth="full", legal=15, prom=0,
      mats=["dl", "vl"], f=["plate_no:号牌号码:text"], al=["处理违章", "违章扣分", "消违章"], pop=700,
      cond=["有未处理交通技术监控违法记录的机动车驾驶人"]),
    T("普通护照签发", "GAJ", ["P20", "P17"], depth="onsite", legal=7, prom=7,
      fees=[("普通护照工本费", "120元/本")], mats=["id", "?hk"], f=[DLV],
      al=["办护照", "出国护照"], pop=420,
      cond=["中国公民因私出国，在全国任一出入境窗口均可申请"],
      guide="需本人到出入境窗口现场采集指纹和照片，7个工作日内制证，可选择邮寄"),
    T("往来港澳通行证及签注签发", "GAJ", ["P20", "P17"], depth="onsite", legal=7, prom=7,
      fees=[("往来港澳通行证工本费", "60元/证"), ("签注费", "15元/件")], mats=["id"],
      f=["endorse:签注种类:select:tourism_hk=赴香港团队旅游|tourism_mo=赴澳门团队旅游|visit=探亲|business=商务", DLV],
      al=["办港澳通行证", "去香港要办什么", "港澳签注"], pop=560,
      cond=["内地居民因私前往香港、澳门"]),
    T("往来港澳通行证再次签注", "GAJ", ["P20"], depth="full", legal=7, prom=0,
      fees=[("签注费", "15元/件")], mats=["id", "往来港澳通行证（电子）"],
      f=["endorse:签注种类:select:personal_hk=香港个人旅游|personal_mo=澳门个人旅游|team=团队旅游"],
      al=["续签港澳", "自助签注", "港澳再签"], pop=480,
      cond=["持有效电子往来港澳通行证的内地居民"]),
    T("往来台湾通行证及签注签发", "GAJ", ["P20", "P17"], depth="onsite", legal=7, prom=7,
      fees=[("往来台湾通行证工本费", "40元/证"), ("签注费", "15元/件")], mats=["id"], f=[DLV],
      al=["办台湾通行证", "赴台证件"], pop=90, cond=["内地居民因私前往台湾"]),
    T("旅游投诉受理", "WGLTJ", ["P19", "P21"], depth="full", legal=60, prom=30,
      mats=["旅游合同或消费凭证", "证据材料"], f=["agency:被投诉旅行社或景区:text", "reason"],
      al=["投诉旅行社", "旅游被坑", "导游强制购物"], pop=150, kind="other",
      cond=["与旅游经营者发生纠纷的旅游者"]),
    T("A级旅游景区和博物馆参观预约", "WGLTJ", ["P19", "P26"], depth="full", legal=1, prom=0,
      mats=["id"], f=["venue:场馆或景区:select:yanyang=雁南飞茶田景区|museum=梅州市博物馆|yeji=叶剑英纪念园|hakka=中国客家博物馆",
                       "visit_date:参观日期:date", "visitors:参观人数:number"],
      al=["景区预约", "博物馆门票", "客家博物馆预约"], pop=390, cond=["游客本人，团体由领队统一预约"]),
    T("文化和旅游惠民消费券申领", "WGLTJ", ["P19", "P26"], depth="full", legal=1, prom=0,
      mats=["id"], f=["coupon_type:券种:select:tour=旅游券|culture=文化券|sport=体育券"],
      al=["旅游消费券", "领景区优惠券"], pop=260, kind="other", cond=["在本市消费的游客和市民"]),
    # ---------------------------------------------------------------- consumer rights, public safety, justice
    T("消费者投诉举报", "SCJGJ", ["P21"], depth="full", legal=60, prom=7,
      mats=["购物凭证或服务单据", "?证据材料（照片、录音等）"],
      f=["merchant:被投诉经营者:text", "merchant_address:经营者地址:textarea", "reason",
         "claim:诉求:select:refund=退货退款|exchange=换货|compensation=赔偿|report=举报违法"],
      al=["12315投诉", "投诉商家", "退货不给退"], pop=620, kind="other",
      cond=["因购买商品或接受服务与经营者发生消费纠纷的消费者"],
      guide="市场监管部门收到投诉后7个工作日内决定是否受理，受理后组织调解"),
    T("价格举报", "SCJGJ", ["P21"], depth="full", legal=60, prom=15,
      mats=["价格违法线索或证据"], f=["merchant:被举报经营者:text", "reason"],
      al=["乱收费举报", "物价投诉", "明码标价投诉"], pop=180, kind="other",
      cond=["发现价格违法行为的公民、法人或其他组织"]),
    T("食品安全投诉举报", "SCJGJ", ["P21", "P28"], depth="full", legal=60, prom=15,
      mats=["购物凭证", "?问题食品照片"], f=["merchant:被投诉经营者:text", "reason"],
      al=["吃坏肚子投诉", "过期食品举报", "餐馆卫生举报"], pop=320, kind="other",
      cond=["发现食品安全问题的消费者"]),
    T("无犯罪记录证明开具", "GAJ", ["P22", "P23"], scope="both", depth="full", legal=3, prom=1,
      mats=["id", "?auth"], f=["purpose:证明用途:select:job=就业|study=入学|visa=出国签证|other=其他"],
      al=["开无犯罪证明", "良民证", "无违法犯罪记录"], pop=620,
      cond=["本市户籍居民或在本市居住的人员，因就业、出国等需要"]),
    T("焰火燃放许可", "GAJ", ["P22", "E29"], depth="full", legal=20, prom=10,
      mats=["申请人身份证件或营业执照", "燃放作业单位资质证明", "焰火燃放安全方案"],
      f=["fire_date:燃放时间:date", "fire_place:燃放地点:textarea",
         "scale:燃放规模:select:a=A级|b=B级|c=C级|d=D级"],
      al=["放烟花审批", "焰火晚会审批"], pop=40,
      cond=["举办焰火晚会以及其他大型焰火燃放活动的主办单位"]),
    T("大型群众性活动安全许可", "GAJ", ["P22", "E29"], depth="full", legal=20, prom=7,
      mats=["承办者身份证件或营业执照", "活动安全工作方案", "场所管理者同意使用证明"],
      f=["event_name:活动名称:text", "event_date:活动日期:date", "attendance:预计参加人数:number"],
      al=["办活动审批", "演唱会审批", "大型活动报备"], pop=60,
      cond=["举办预计参加人数1000人以上的体育比赛、演唱会、展览等活动的承办者"]),
    T("养犬登记", "GAJ", ["P22"], depth="full", legal=10, prom=3,
      mats=["id", "犬只狂犬病免疫证明", "犬只照片"], f=["dog_breed:犬只品种:text", "dog_name:犬名:text",
                                                 "addr"],
      al=["狗证", "办狗证", "养狗登记"], pop=240, cond=["在城市重点管理区内饲养犬只的个人或单位"]),
    T("法律援助申请", "SFJ", ["P23"], depth="full", legal=7, prom=3,
      mats=["id", "经济困难状况说明", "与案件有关的材料"],
      f=["case_type:案件类型:select:wage=追索劳动报酬|injury=工伤赔偿|family=婚姻家庭|traffic=交通事故|criminal=刑事辩护|other=其他",
         "reason"],
      al=["免费律师", "请不起律师", "法律援助"], pop=300, kind="other",
      cond=["经济困难或属于法定情形、需要法律帮助的公民"]),
    T("公证（出生、亲属关系、学历等）", "SFJ", ["P23"], depth="apply", legal=15, prom=5,
      fees=[("公证费", "按广东省公证服务收费标准")], mats=["id", "hk", "需公证的证件或证明材料"],
      f=["notary_item:公证事项:select:birth=出生|kinship=亲属关系|degree=学历学位|no_crime=无犯罪记录|marital=婚姻状况",
         "use_country:使用国家或地区:text"],
      al=["做公证", "出国公证", "亲属关系公证"], pop=220,
      cond=["需要办理公证的自然人、法人或其他组织"]),
    T("人民调解申请", "SFJ", ["P23"], depth="full", legal=30, prom=30,
      mats=["id", "纠纷情况说明"], f=["other_party:对方当事人:text", "reason"],
      al=["调解纠纷", "邻里纠纷", "找人调解"], pop=180, kind="other",
      cond=["发生民间纠纷、自愿申请调解的当事人"]),
    T("企业公证（法人资格、合同、章程等）", "SFJ", ["E30"], depth="apply", legal=15, prom=5,
      fees=[("公证费", "按广东省公证服务收费标准")], mats=["bl", "lrid", "需公证的文书"],
      f=["notary_item:公证事项:select:qualification=法人资格|contract=合同|charter=章程|copy=文书副本"],
      al=["公司公证", "合同公证"], pop=70, cond=["需要办理公证的企业或其他组织"]),
    T("律师事务所设立许可", "SFJ", ["E30"], depth="full", legal=20, prom=15,
      mats=["设立申请书", "律师事务所章程", "设立人律师执业证", "住所证明", "资产证明"],
      f=["firm:律师事务所名称:text", "founders:设立人人数:number"], al=["开律所"], pop=10,
      cond=["有符合规定的名称、住所、章程和执业律师的设立人"]),
    T("基层法律服务工作者执业核准", "SFJ", ["P10", "P23"], depth="full", legal=20, prom=15,
      mats=["id", "deg", "拟执业基层法律服务所同意接收证明"], f=["office:拟执业基层法律服务所:text"],
      al=["法律工作者证"], pop=15, cond=["符合基层法律服务工作者执业条件的人员"]),
    T("司法鉴定许可证核发", "SFJ", ["E30"], depth="full", legal=20, prom=15,
      mats=["申请书", "机构章程", "场所和仪器设备证明", "鉴定人员资格证明"],
      f=["items:申请鉴定业务范围:textarea"], al=["司法鉴定机构设立"], pop=8,
      cond=["符合司法鉴定机构登记条件的法人或其他组织"]),
]

TEMPLATES += [
    # ---------------------------------------------------------------- IP, environment, culture, utilities, health
    T("专利资助申请", "SCJGJ", ["P24", "E24"], depth="full", legal=30, prom=20,
      mats=["申请人身份证件或营业执照", "专利证书或授权通知书", "bank"],
      f=["patent_no:专利号:text", "patent_type:专利类型:select:invention=发明|utility=实用新型|design=外观设计", "bankno"],
      al=["专利奖励", "专利补贴"], pop=90, kind="other",
      cond=["本市单位或个人取得的专利"]),
    T("知识产权维权援助申请", "SCJGJ", ["P24", "E24"], depth="full", legal=30, prom=15,
      mats=["申请人身份证件或营业执照", "知识产权权属证明", "侵权证据材料"],
      f=["ip_type:权利类型:select:patent=专利|trademark=商标|copyright=著作权|gi=地理标志", "reason"],
      al=["被侵权怎么办", "商标被抄", "专利维权"], pop=60, kind="other",
      cond=["在本市遭遇知识产权纠纷的单位和个人"]),
    T("作品著作权登记", "WGLTJ", ["P24", "E24"], depth="full", legal=30, prom=20,
      mats=["申请人身份证件或营业执照", "作品样本", "权利归属证明"],
      f=["work_title:作品名称:text", "work_type:作品类别:select:text=文字|art=美术|photo=摄影|music=音乐|film=视听|software=其他"],
      al=["版权登记", "作品登记"], pop=50, cond=["作品的著作权人"]),
    T("商标注册申请受理", "SCJGJ", ["P24", "E24"], depth="apply", legal=10, prom=1,
      fees=[("商标注册申请费", "按国家知识产权局标准")],
      mats=["申请人身份证件或营业执照", "商标图样", "?auth"],
      f=["mark_name:商标名称:text", "classes:指定类别:text"], al=["注册商标", "申请商标"], pop=150,
      kind="public_service", cond=["需要取得商标专用权的自然人、法人或其他组织"]),
    T("地理标志专用标志使用申请", "SCJGJ", ["E24", "E15"], depth="full", legal=20, prom=10,
      mats=["bl", "产品产地证明", "产品质量检验报告"],
      f=["product:产品:select:pomelo=梅州金柚|dabu_pomelo=大埔蜜柚|tea=梅州客家茶|jiaoling_tea=蕉岭绿茶|other=其他"],
      al=["金柚地理标志", "用地标"], pop=55, kind="other",
      cond=["在地理标志产品保护范围内生产相关产品的企业"]),
    T("林木采伐许可证核发", "ZRZYJ", ["P25", "E15"], scope="both", depth="full", legal=20, prom=5,
      mats=["申请人身份证件或营业执照", "林权证明", "采伐作业设计或伐区调查材料"],
      f=["forest_location:林地位置:textarea", "volume:采伐蓄积（立方米）:number",
         "cut_type:采伐类型:select:mature=主伐|thinning=抚育间伐|renewal=更新采伐|other=其他采伐"],
      al=["砍树许可", "伐木证", "采伐证"], pop=170,
      cond=["林木所有者或经营者"]),
    T("砍伐、迁移城市树木审批", "CGJ", ["P25", "E18"], depth="full", legal=20, prom=10,
      mats=["申请人身份证件或营业执照", "树木现状照片", "砍伐或迁移理由说明"],
      f=["tree_location:树木位置:textarea", "tree_count:树木数量:number"],
      al=["砍路边树", "移树审批"], pop=40, cond=["因建设或安全需要砍伐、迁移城市树木的单位或个人"]),
    T("古树名木迁移审批", "ZRZYJ", ["P25", "E18"], depth="full", legal=20, prom=15,
      mats=["申请人身份证件或营业执照", "迁移方案", "古树名木现状材料"],
      f=["tree_no:古树编号:text", "reason"], al=["古树移植"], pop=10,
      cond=["因重点建设工程确需迁移古树名木的单位"]),
    T("生态环境问题投诉举报", "STHJJ", ["P25"], depth="full", legal=60, prom=15,
      mats=["?现场照片或视频"], f=["problem:问题类型:select:noise=噪声|air=废气|water=废水|waste=固体废物|other=其他",
                                  "location:问题地点:textarea", "reason"],
      al=["噪音投诉", "工厂排污举报", "臭味投诉"], pop=260, kind="other",
      cond=["发现环境污染和生态破坏问题的公众"]),
    T("公共图书馆读者证办理", "WGLTJ", ["P26"], depth="full", legal=1, prom=0,
      mats=["id"], f=["card_type:读者证类型:select:adult=成人|child=少儿"], al=["图书馆借书证", "办借书卡"],
      pop=230, cond=["所有居民均可免押金办理"]),
    T("运动员技术等级称号授予", "WGLTJ", ["P26"], depth="full", legal=20, prom=15,
      mats=["id", "比赛成绩证明", "photo|electronic"], f=["sport:运动项目:text",
                                                     "level:等级:select:2=二级运动员|3=三级运动员"],
      al=["二级运动员证"], pop=50, cond=["在规定比赛中达到运动员技术等级标准的运动员"]),
    T("非物质文化遗产代表性传承人申报", "WGLTJ", ["P26"], depth="full", legal=60, prom=40,
      mats=["id", "传承谱系和技艺说明", "代表作品资料"],
      f=["item:非遗项目:select:hakka_song=客家山歌|han_music=广东汉乐|hakka_opera=广东汉剧|puppet=五华提线木偶戏|other=其他"],
      al=["非遗传承人"], pop=20, kind="other", cond=["掌握非遗项目、在当地有较大影响的传承人"]),
    T("营业性演出审批", "WGLTJ", ["P26", "E23"], depth="full", legal=3, prom=3,
      mats=["演出举办单位营业执照或演出经纪资质", "演出节目内容材料", "演出场所合同"],
      f=["show_name:演出名称:text", "show_date:演出日期:date", "venue:演出场所:text"],
      al=["演出报批", "办演唱会审批"], pop=45, cond=["举办营业性演出的文艺表演团体或演出经纪机构"]),
    T("供水报装", "SHWJ", ["P27", "E31"], depth="full", legal=10, prom=3,
      mats=["申请人身份证件或营业执照", "prop|copy"],
      f=["install_address:用水地址:textarea", "use_type:用水性质:select:home=居民生活|business=非居民|construction=施工临时用水"],
      al=["装水表", "接自来水", "开户用水"], pop=310,
      cond=["在供水管网覆盖范围内需要新装用水的单位和个人"]),
    T("低压用电报装", "GDJ", ["P27", "E31"], depth="full", legal=10, prom=2,
      mats=["申请人身份证件或营业执照", "用电地址物业权属证明"],
      f=["install_address:用电地址:textarea", "capacity:报装容量（千瓦）:number",
         "use_type:用电类别:select:home=居民生活|business=一般工商业"],
      al=["装电表", "通电", "报装用电"], pop=340,
      cond=["需要新装或增容低压用电的单位和个人"]),
    T("高压用电报装", "GDJ", ["E31"], depth="full", legal=15, prom=10,
      mats=["bl", "用电地址物业权属证明", "用电设备清单"],
      f=["install_address:用电地址:textarea", "capacity:报装容量（千伏安）:number"],
      al=["工厂用电报装", "专变报装"], pop=120, cond=["需要10千伏及以上电压等级供电的企业"]),
    T("管道燃气报装", "ZJJ", ["P27", "E31"], depth="full", legal=10, prom=5,
      mats=["申请人身份证件或营业执照", "prop|copy"], f=["install_address:用气地址:textarea"],
      al=["装天然气", "开通燃气", "通煤气"], pop=260, cond=["燃气管网覆盖范围内的用户"]),
    T("水电气过户", "ZSJ", ["P27", "E31"], depth="full", legal=3, prom=1,
      mats=["新户主身份证件或营业执照", "prop"], f=["address:用户地址:textarea",
                                                "services:过户项目:select:all=水电气一并过户|water=用水|power=用电|gas=燃气"],
      al=["水电过户", "买房后改户名"], pop=280,
      cond=["不动产转移登记后需同步变更水电气户名的用户"],
      guide="办理二手房过户时可同时申请，水、电、燃气户名联动变更"),
    T("无偿献血者临床用血费用报销", "WJJ", ["P28"], depth="full", legal=10, prom=5,
      mats=["id", "无偿献血证", "用血费用票据", "bank"], f=["donor_name:献血者姓名:text", "amount", "bankno"],
      al=["献血报销", "用血报销"], pop=80, kind="other",
      cond=["无偿献血者及其配偶和直系亲属临床用血的"]),
    T("从业人员预防性健康检查", "WJJ", ["P28", "P08"], depth="apply", legal=7, prom=5,
      fees=[("健康检查费", "按医疗服务价格标准")], mats=["id"],
      f=["industry:从业行业:select:food=食品|public=公共场所|water=生活饮用水|cosmetics=化妆品"],
      al=["办健康证", "体检健康证"], pop=680,
      cond=["从事食品生产经营、公共场所服务等行业的人员"]),
    T("母婴保健技术服务执业许可", "WJJ", ["E21"], depth="full", legal=20, prom=15,
      mats=["申请书", "医疗机构执业许可证", "人员资格证明", "设备清单"], f=["items:申请服务项目:textarea"],
      al=["产科资质"], pop=8, cond=["开展婚前医学检查、产前诊断等母婴保健技术的医疗机构"]),
    T("医疗机构执业登记", "WJJ", ["E21"], depth="full", legal=45, prom=20,
      mats=["执业登记申请书", "场所使用证明", "人员资格证明", "规章制度", "设备清单"],
      f=["facility_name:医疗机构名称:text", "category:类别:select:clinic=诊所|outpatient=门诊部|hospital=医院",
         "beds:床位数:number"],
      al=["开诊所", "诊所备案", "医院执业许可"], pop=90, kind="licensing",
      cond=["符合医疗机构基本标准的单位和个人"]),
    T("公共场所卫生许可", "WJJ", ["P08", "E02"], scope="both", depth="full", legal=20, prom=5,
      mats=["申请人身份证件或营业执照", "经营场所平面图", "从业人员健康合格证明", "卫生管理制度"],
      f=["premises", "category:场所类型:select:hotel=住宿|bath=沐浴|beauty=美容美发|gym=游泳场所"],
      al=["卫生许可证", "开理发店要什么证", "宾馆卫生证"], pop=320,
      cond=["经营宾馆、美容美发、沐浴、游泳场所等公共场所的单位和个人"]),
    T("放射诊疗许可", "WJJ", ["E21"], depth="full", legal=20, prom=15,
      mats=["申请书", "放射诊疗设备清单", "辐射防护评价报告", "人员资格证明"], f=["items:诊疗项目:textarea"],
      al=["放射科许可", "X光机许可"], pop=10, cond=["开展放射诊疗工作的医疗机构"]),
    T("饮用水供水单位卫生许可", "WJJ", ["E21", "E31"], depth="full", legal=20, prom=10,
      mats=["申请书", "水质检验报告", "供水设施卫生状况说明", "从业人员健康证明"], f=["water_source:水源类型:text"],
      al=["供水卫生许可"], pop=15, cond=["集中式供水单位"]),
]

TEMPLATES += [
    # ---------------------------------------------------------------- individual businesses (P31) and market entry
    T("个体工商户注册登记", "SCJGJ", ["P07", "P31"], kind="licensing", scope="both", depth="full", legal=3, prom=0,
      mats=["经营者居民身份证|original", "lease"],
      f=["shop_name:个体工商户名称:text", "premises", "scope",
         "form:组成形式:select:person=个人经营|family=家庭经营"],
      tags=["business"], al=["办个体户", "开店执照", "办营业执照"], pop=870,
      cond=["有经营能力的自然人（个人或家庭经营）"],
      guide="经营者本人在网上实名认证后提交申请，审核通过即可领取电子营业执照，纸质执照可邮寄"),
    T("个体工商户变更登记", "SCJGJ", ["P31"], kind="licensing", depth="full", legal=3, prom=0,
      mats=["营业执照|original", "经营者居民身份证|original", "?lease"],
      f=["change_item:变更事项:select:name=名称|premises=经营场所|scope=经营范围|operator=经营者",
         "change_content:变更后内容:textarea"],
      tags=["business"], al=["个体户改地址", "个体户换名字"], pop=420,
      cond=["已登记的个体工商户登记事项发生变化"]),
    T("个体工商户注销登记", "SCJGJ", ["P31"], kind="licensing", scope="both", depth="full", legal=3, prom=0,
      mats=["经营者居民身份证|original", "?营业执照|original"], f=["reason"],
      tags=["business"], al=["个体户注销", "不开店了注销执照", "关店"], pop=380,
      cond=["不再从事经营活动、无未结清税款和债务的个体工商户"]),
    T("个体工商户年度报告", "SCJGJ", ["P31"], depth="full", legal=1, prom=0,
      mats=["经营者居民身份证|original"], f=["shop_name:个体工商户名称:text", "uscc", "year:报告年度:number",
                                          "revenue:营业额（万元）:number"],
      tags=["business"], al=["个体户年报", "执照年报"], pop=760,
      cond=["上一年度登记成立的个体工商户，每年1月1日至6月30日报送"],
      guide="个体工商户每年在国家企业信用信息公示系统报送上一年度年报，未按时报送将被标记为经营异常"),
    T("个体工商户定期定额核定", "SWJ", ["P31"], scope="both", depth="full", legal=15, prom=5,
      mats=["bl", "经营者居民身份证|original"], f=["monthly_revenue:月营业额（元）:number", "premises"],
      tags=["tax"], al=["个体户定税", "核定税额", "双定户"], pop=300,
      cond=["生产经营规模小、达不到建账标准的个体工商户"]),
    T("代开增值税发票", "SWJ", ["P31", "E05"], scope="both", depth="full", legal=1, prom=0,
      mats=["申请人身份证件或营业执照", "合同或业务往来证明"],
      f=["buyer:购买方名称:text", "amount:开票金额（元）:number",
         "invoice_type:发票种类:select:normal=增值税普通发票|special=增值税专用发票"],
      tags=["tax"], al=["代开发票", "个人开发票", "临时开票"], pop=560,
      cond=["已办理税务登记的小规模纳税人或临时取得应税收入的自然人"]),
    T("农民专业合作社设立登记", "SCJGJ", ["P07", "E01", "E15"], kind="licensing", depth="full", legal=3, prom=1,
      mats=["设立大会纪要", "合作社章程", "成员名册和出资清单", "法定代表人任职文件", "lease"],
      f=["coop_name:合作社名称:text", "member_count:成员人数:number", "scope"],
      tags=["business"], al=["办合作社", "成立合作社"], pop=140,
      cond=["五名以上符合规定的成员，其中农民至少占成员总数的80%"]),
    T("个人独资企业设立登记", "SCJGJ", ["P07", "E01"], kind="licensing", depth="full", legal=3, prom=1,
      mats=["投资人居民身份证|original", "lease"], f=["ent_name:企业名称:text", "premises", "scope",
                                                 "capital:投资人申报出资（万元）:number"],
      tags=["business"], al=["开独资企业", "个人开公司"], pop=160,
      cond=["投资人为一个自然人，有合法的企业名称和固定经营场所"]),
    T("食品经营许可", "SCJGJ", ["P08", "E02"], scope="both", depth="full", legal=20, prom=5,
      mats=["申请人身份证件或营业执照", "经营场所和设备布局、操作流程图", "食品安全管理制度", "lease"],
      f=["premises", "category:经营项目:select:retail=预包装食品销售|catering=热食类食品制售|cold=冷食类食品制售|drink=自制饮品制售",
         "subject:主体业态:select:shop=食品销售经营者|restaurant=餐饮服务经营者|canteen=单位食堂"],
      tags=["business"], al=["食品许可证", "开饭店要办什么证", "开奶茶店办证"], pop=760,
      cond=["在本地从事食品销售和餐饮服务、已取得营业执照的经营者（仅销售预包装食品的实行备案）"],
      guide="申请材料齐全的可实行告知承诺，当场发证，之后监管部门进行现场核查"),
    T("仅销售预包装食品备案", "SCJGJ", ["P08", "E02"], depth="full", legal=1, prom=0,
      mats=["bl", "经营者身份证件"], f=["premises"], tags=["business"],
      al=["小卖部食品备案", "预包装食品备案"], pop=300, kind="other",
      cond=["仅销售预包装食品的经营者"]),
    T("食品小作坊登记", "SCJGJ", ["P08", "P31"], scope="county", depth="full", legal=15, prom=5,
      mats=["经营者居民身份证|original", "营业执照|original", "生产场所平面图", "从业人员健康证明"],
      f=["premises", "food_type:生产食品种类:text"], tags=["business"],
      al=["作坊登记", "做腌面小作坊", "做糕点作坊证"], pop=120, kind="licensing",
      cond=["有固定生产场所、从业人员较少、生产加工规模小的食品生产者"]),
    T("小餐饮经营许可", "SCJGJ", ["P08", "P31"], scope="county", depth="full", legal=10, prom=3,
      mats=["经营者居民身份证|original", "营业执照|original", "lease", "从业人员健康证明"],
      f=["premises", "area:经营面积（平方米）:number"], tags=["business"],
      al=["小吃店许可", "大排档办证", "夫妻店许可"], pop=260,
      cond=["经营场所面积较小、从业人员较少的餐饮服务经营者"]),
    T("烟草专卖零售许可证核发", "YCJ", ["P08", "E02"], depth="full", legal=20, prom=10,
      mats=["申请人身份证件或营业执照", "lease"], f=["premises"],
      al=["烟草证", "卖烟许可证", "办烟证"], pop=350,
      cond=["已取得营业执照、经营场所符合烟草零售网点布局规定的经营者"]),
    T("出版物零售业务许可", "WGLTJ", ["P08", "E23"], depth="full", legal=20, prom=10,
      mats=["申请人身份证件或营业执照", "lease"], f=["premises"], al=["卖书许可", "书店办证"], pop=30,
      cond=["有固定经营场所、从事出版物零售的单位和个人"]),
]

TEMPLATES += [
    # ---------------------------------------------------------------- enterprise: establishment, change, annual report
    T("企业名称自主申报", "SCJGJ", ["E01"], depth="full", legal=1, prom=0,
      mats=["投资人身份证件或主体资格证明"], f=["ent_name:拟申报企业名称:text", "?alt_name:备选名称:text",
                                            "industry:行业表述:text"],
      tags=["business"], al=["公司起名", "核名", "查名字能不能用"], pop=700,
      cond=["拟设立企业的投资人或其委托的代理人"]),
    T("企业设立登记", "SCJGJ", ["E01"], kind="licensing", scope="both", depth="full", legal=3, prom=1,
      mats=["公司登记（备案）申请书", "charter", "股东主体资格证明或自然人身份证件", "法定代表人、董事、监事和经理的任职文件",
            "lease"],
      f=["ent_name:企业名称:text", "ent_type:企业类型:select:llc=有限责任公司|llc_one=一人有限责任公司|jsc=股份有限公司|partnership=合伙企业",
         "capital:注册资本（万元）:number", "premises", "scope", "lrname", "lrid"],
      tags=["business"], al=["开公司", "注册公司", "办营业执照", "成立公司"], pop=920,
      cond=["有符合规定的名称、住所、章程和股东出资的投资人"],
      guide="开办企业一网通办，营业执照、公章刻制、申领发票、社保和公积金登记同时办理，一个工作日内完成"),
    T("企业变更登记", "SCJGJ", ["E01"], kind="licensing", scope="both", depth="full", legal=3, prom=1,
      mats=["公司变更登记申请书", "关于变更事项的股东会决议或股东决定", "?charter", "营业执照|original"],
      f=["change_item:变更事项:select:name=名称|address=住所|rep=法定代表人|capital=注册资本|scope=经营范围|shareholder=股东",
         "change_content:变更后内容:textarea"],
      tags=["business"], al=["公司改名", "换法人", "公司变更地址", "增资"], pop=780,
      cond=["已登记企业的登记事项发生变更的"]),
    T("企业备案（章程、董事、监事、经理）", "SCJGJ", ["E01"], depth="full", legal=3, prom=1,
      mats=["备案申请书", "修改后的章程或任职文件"], f=["filing_item:备案事项:select:charter=章程修正|directors=董事监事经理|liquidation=清算组"],
      tags=["business"], al=["董事备案", "章程备案"], pop=280, kind="other",
      cond=["企业章程、董事、监事、经理等备案事项发生变化"]),
    T("分公司设立登记", "SCJGJ", ["E01"], kind="licensing", depth="full", legal=3, prom=1,
      mats=["分公司登记申请书", "隶属企业营业执照", "分公司负责人任职文件", "lease"],
      f=["branch_name:分公司名称:text", "premises", "scope"], tags=["business"],
      al=["开分公司", "设分店"], pop=260, cond=["已设立的企业在本市设立分支机构"]),
    T("外商投资企业设立备案", "SWUJ", ["E01", "E14"], depth="full", legal=3, prom=1,
      mats=["外国投资者主体资格证明", "企业设立登记材料", "投资者及实际控制人信息"],
      f=["ent_name:企业名称:text", "investor_country:投资者国别（地区）:text", "capital:投资总额（万美元）:number"],
      tags=["business"], al=["外资公司注册", "港资公司设立", "外商投资信息报告"], pop=80, kind="other",
      cond=["外国投资者在本市投资设立企业，不涉及准入特别管理措施"]),
    T("公章刻制备案", "GAJ", ["E01", "E29"], depth="full", legal=1, prom=0,
      mats=["bl", "lrid", "印章印模"], f=["seals:刻制印章:select:set=公章、财务章、发票章、法人章套餐|single=单枚印章"],
      al=["刻公章", "刻章备案", "免费刻章"], pop=640,
      cond=["新办企业或需要刻制印章的单位"],
      guide="新开办企业首套印章由政府买单免费刻制，可与营业执照一并申请"),
    T("企业年度报告公示", "SCJGJ", ["E04"], depth="full", legal=1, prom=0,
      mats=["企业上一年度资产状况和经营信息"],
      f=["year:报告年度:number", "employees:从业人数:number", "revenue:营业总收入（万元）:number",
         "tax_total:纳税总额（万元）:number", "social_security_count:参保人数:number"],
      tags=["business"], al=["企业年报", "公司年报", "工商年报"], pop=900,
      cond=["上一年度登记成立的企业，每年1月1日至6月30日报送"],
      guide="企业在国家企业信用信息公示系统报送年报，社保、公积金信息一并报送，未按时报送将列入经营异常名录"),
    T("农民专业合作社年度报告", "SCJGJ", ["E04", "E15"], depth="full", legal=1, prom=0,
      mats=["合作社上一年度生产经营信息"], f=["year:报告年度:number", "members:成员人数:number"],
      tags=["business"], al=["合作社年报"], pop=160, cond=["已登记的农民专业合作社"]),
    T("外商投资信息报告（年度报告）", "SWUJ", ["E04", "E14"], depth="full", legal=1, prom=0,
      mats=["企业上一年度投资经营信息"], f=["year:报告年度:number"], tags=["business"],
      al=["外资企业年报"], pop=60, kind="other", cond=["已设立的外商投资企业"]),
    T("经营异常名录移出申请", "SCJGJ", ["E04", "E34"], depth="full", legal=5, prom=3,
      mats=["移出申请书", "补报年报或更正信息的证明"], f=["reason:移出原因:select:report=已补报年报|address=已变更住所|fix=已更正公示信息"],
      tags=["business"], al=["移出异常", "解除经营异常", "企业被列异常"], pop=400, kind="other",
      cond=["被列入经营异常名录、已纠正相关情形的企业"]),
    T("信用修复申请", "FGJ", ["E04", "E34", "P31"], depth="full", legal=15, prom=5,
      mats=["信用修复申请书", "已履行行政处罚决定的证明", "信用修复承诺书"], f=["penalty_no:行政处罚决定书编号:text"],
      al=["信用修复", "撤销失信记录", "处罚信息下线"], pop=230, kind="other",
      cond=["已履行行政处罚义务、满足最短公示期的企业和个体工商户"]),
    T("社会团体成立登记", "MZJ", ["E34"], depth="full", legal=60, prom=20,
      mats=["登记申请书", "业务主管单位批准文件", "章程草案", "验资报告", "负责人身份证件", "住所证明"],
      f=["group_name:社会团体名称:text", "members:会员数:number", "capital:注册资金（万元）:number"],
      al=["成立协会", "办商会", "成立社团"], pop=50, kind="licensing",
      cond=["有50个以上个人会员或30个以上单位会员，有规范的名称、住所和不少于3万元活动资金"]),
    T("民办非企业单位成立登记", "MZJ", ["E34", "E23"], depth="full", legal=60, prom=20,
      mats=["登记申请书", "业务主管单位批准文件", "章程草案", "验资报告", "住所证明"],
      f=["org_type:单位类别:select:education=教育|health=卫生|elderly=养老|culture=文化|other=其他"],
      al=["成立民非", "办社会服务机构", "办养老院登记"], pop=60, kind="licensing",
      cond=["利用非国有资产举办、从事非营利性社会服务活动的组织"]),
    T("社会组织年度检查", "MZJ", ["E04", "E34"], depth="full", legal=30, prom=15,
      mats=["年度工作报告书", "年度财务审计报告"], f=["year:年检年度:number"],
      al=["社团年检", "民非年检"], pop=90, kind="other", cond=["在本市登记的社会团体、民办非企业单位"]),
    T("养老机构备案", "MZJ", ["E34", "E21"], depth="full", legal=5, prom=1,
      mats=["备案书", "bl", "养老机构场所消防、食品安全合格证明", "服务设施说明"],
      f=["beds:床位数:number", "premises"], al=["开养老院", "养老院备案"], pop=40, kind="other",
      cond=["已取得法人登记的养老机构"]),
    T("企业诉求响应（企业找政府）", "ZSJ", ["E34"], depth="full", legal=15, prom=5,
      mats=["?诉求相关材料"], f=["category:诉求类型:select:approval=审批服务|policy=政策咨询|finance=融资需求|land=用地用工|other=其他",
                                 "content:诉求内容:textarea"],
      al=["企业找政府", "企业反映问题", "营商环境投诉"], pop=310, kind="other",
      cond=["在本市注册或经营的企业"],
      guide="企业在网上提出诉求后由牵头部门分办，办理结果在网上反馈并接受企业评价"),
    T("12345政务服务便民热线诉求", "ZSJ", ["P31", "E34"], depth="full", legal=15, prom=5,
      mats=["?相关证明材料"], f=["content:诉求内容:textarea",
                                "category:诉求类型:select:consult=咨询|complaint=投诉|report=举报|suggest=建议|help=求助"],
      al=["12345", "市长热线", "投诉政府部门"], pop=590, kind="other",
      cond=["所有市民和企业"]),
    T("政务服务好差评", "ZSJ", ["P31", "E34"], depth="full", legal=1, prom=0,
      mats=["?办件编号"], f=["case_no:办件编号:text", "rating:评价:select:5=非常满意|4=满意|3=基本满意|2=不满意|1=非常不满意",
                              "?comment:评价意见:textarea"],
      al=["评价办事", "差评"], pop=200, kind="other", cond=["办理过政务服务事项的企业和群众"]),
    T("档案查询利用", "DAJ", ["P31", "E33"], depth="full", legal=5, prom=2,
      mats=["申请人身份证件或营业执照", "?auth"],
      f=["archive_type:档案类别:select:marriage=婚姻档案|land=土地房产档案|enterprise=企业改制档案|employee=职工档案|other=其他",
         "reason"],
      al=["查档案", "调档案资料", "查老档案"], pop=200,
      cond=["持有合法身份证件的公民和组织"]),
    T("城建档案查询", "ZJJ", ["E33", "E16"], depth="full", legal=5, prom=2,
      mats=["bl", "agid"], f=["project:工程名称:text", "reason"], al=["查竣工图纸", "城建资料"], pop=60,
      cond=["建设单位、产权人或因工作需要的单位"]),
    T("文物保护单位建设控制地带内建设工程设计方案审批", "WGLTJ", ["E33", "E16"], depth="full", legal=20, prom=15,
      mats=["申请书", "建设工程设计方案", "对文物影响的评估报告"], f=["project", "relic:涉及文物保护单位:text"],
      al=["文物周边建设审批", "围龙屋周边建设"], pop=12, cond=["在文物保护单位建设控制地带内进行工程建设的单位"]),
    T("建设工程文物考古调查勘探", "WGLTJ", ["E33", "E16"], depth="apply", legal=30, prom=20,
      mats=["申请书", "建设项目用地范围图"], f=["project", "site_area:用地面积（平方米）:number"],
      al=["考古勘探"], pop=10, kind="public_service",
      cond=["大型基本建设工程在进行前应当进行考古调查勘探"]),
    T("档案移交进馆", "DAJ", ["E33"], depth="apply", legal=30, prom=20,
      mats=["档案移交清单", "档案实体"], f=["volumes:移交案卷数量:number"], al=["档案进馆"], pop=15, kind="other",
      cond=["列入进馆范围的机关、团体、企事业单位"]),
]

TEMPLATES += [
    # ---------------------------------------------------------------- enterprise: tax
    T("新办纳税人涉税事项套餐", "SWJ", ["E05", "E01"], scope="both", depth="full", legal=1, prom=0,
      mats=["bl", "agid", "财务负责人身份证件"],
      f=["accountant:财务负责人:text", "accountant_phone:财务负责人手机号码:phone",
         "taxpayer_type:纳税人类型:select:small=小规模纳税人|general=一般纳税人"],
      tags=["tax"], al=["新公司报到税务", "税务登记", "新办企业领发票"], pop=720,
      cond=["新设立登记的企业、个体工商户等纳税人"],
      guide="一次性完成信息确认、实名采集、三方协议签订、发票票种核定和税控设备发行"),
    T("增值税专用发票领用", "SWJ", ["E05"], scope="both", depth="full", legal=1, prom=0,
      mats=["agid"], f=["invoice_count:领用份数:number",
                          "max_amount:单份最高开票限额:select:1w=1万元|10w=10万元|100w=100万元", DLV],
      tags=["tax"], al=["领专票", "领发票", "申领专用发票"], pop=800,
      cond=["已完成票种核定的增值税纳税人"],
      guide="实行全面数字化电子发票的纳税人无需领用，按授信额度直接开具"),
    T("发票票种核定", "SWJ", ["E05"], depth="full", legal=1, prom=0,
      mats=["agid"], f=["invoice_kind:发票种类:select:normal=增值税普通发票|special=增值税专用发票|digital=数电发票"],
      tags=["tax"], al=["核定发票种类", "增加发票额度"], pop=520, kind="licensing",
      cond=["需要领用发票的单位和个人"]),
    T("增值税一般纳税人登记", "SWJ", ["E05"], depth="full", legal=1, prom=0,
      mats=["agid"], f=["effective_date:生效之日:date", "annual_sales:年应税销售额（万元）:number"],
      tags=["tax"], al=["转一般纳税人", "一般纳税人资格"], pop=430, kind="other",
      cond=["年应税销售额超过500万元，或会计核算健全自愿登记的纳税人"]),
    T("增值税及附加税费申报", "SWJ", ["E05"], depth="full", legal=1, prom=0,
      mats=["财务报表"], f=["period:所属期:text", "sales:销售额（元）:number"],
      tags=["tax"], al=["报税", "申报增值税", "月报"], pop=930,
      cond=["增值税纳税人，按月或按季在征期内申报"]),
    T("企业所得税年度汇算清缴", "SWJ", ["E05", "E04"], depth="full", legal=1, prom=0,
      mats=["年度财务会计报告"], f=["year:所属年度:number", "profit:利润总额（元）:number"],
      tags=["tax"], al=["汇算清缴", "企业所得税年报"], pop=870,
      cond=["企业所得税居民纳税人，每年5月31日前完成上一年度汇算清缴"]),
    T("出口退（免）税备案", "SWJ", ["E05", "E11"], depth="full", legal=1, prom=0,
      mats=["bl", "对外贸易经营者备案信息"], f=["refund_method:退税办法:select:exempt_refund=免抵退|refund=免退"],
      tags=["tax"], al=["出口退税备案", "外贸退税"], pop=140, kind="other",
      cond=["依法办理对外贸易经营者备案的出口企业"]),
    T("出口退（免）税申报", "SWJ", ["E05", "E11"], depth="full", legal=20, prom=3,
      mats=["出口货物报关单信息", "增值税专用发票信息"], f=["period:所属期:text", "amount:申报退税额（元）:number"],
      tags=["tax"], al=["申请出口退税"], pop=120, kind="other", cond=["已办理出口退（免）税备案的企业"]),
    T("跨区域涉税事项报告", "SWJ", ["E05"], depth="full", legal=1, prom=0,
      mats=["外出经营合同"], f=["dest:跨区域经营地:text", "period:经营期限:text"],
      tags=["tax"], al=["外经证", "外出经营报告"], pop=260, kind="other",
      cond=["到外地临时从事生产经营的纳税人"]),
    T("财务会计制度及核算软件备案", "SWJ", ["E05"], depth="full", legal=1, prom=0,
      mats=["财务会计制度"], f=["system:会计制度:select:small=小企业会计准则|enterprise=企业会计准则|nonprofit=民间非营利组织会计制度"],
      tags=["tax"], al=["财务制度备案", "会计制度备案"], pop=280, kind="other",
      cond=["从事生产、经营的纳税人"]),
    T("纳税信用复评", "SWJ", ["E05", "E04"], depth="full", legal=15, prom=10,
      mats=["纳税信用复评申请"], f=["year:评价年度:number", "reason"],
      tags=["tax"], al=["纳税信用等级", "纳税信用修复"], pop=110, kind="other",
      cond=["对纳税信用评价结果有异议的纳税人"]),
    T("税收优惠备案（小微企业）", "SWJ", ["E05"], depth="full", legal=1, prom=0,
      mats=["符合优惠条件的留存备查资料"], f=["policy:优惠项目:select:vat=小规模纳税人减免增值税|cit=小型微利企业所得税优惠|rd=研发费用加计扣除"],
      tags=["tax"], al=["减税", "小微企业免税", "研发加计扣除"], pop=440, kind="other",
      cond=["符合税收优惠条件的纳税人（实行自行判别、申报享受、留存备查）"]),
    T("房产税和城镇土地使用税申报", "SWJ", ["E05", "E16"], depth="full", legal=1, prom=0,
      mats=["房产和土地信息"], f=["period:所属期:text"], tags=["tax"],
      al=["交房产税", "土地使用税"], pop=260, kind="other", cond=["拥有房产和土地使用权的单位和个人"]),
    T("契税申报", "SWJ", ["P15", "E16"], scope="both", depth="full", legal=1, prom=0,
      fees=[("契税", "按成交价格及适用税率计征")], mats=["买受人身份证件或营业执照", "不动产买卖合同"],
      f=["price:成交价格（元）:number", "first_home:是否家庭唯一住房:select:yes=是|no=否"],
      tags=["tax"], al=["交契税", "买房交税"], pop=690, kind="other",
      cond=["在本市受让土地、房屋权属的单位和个人"]),
    T("二手房交易税费申报", "SWJ", ["P15"], depth="full", legal=1, prom=0,
      fees=[("增值税、个人所得税等", "按税法规定计征")], mats=["买卖双方身份证件", "prop", "存量房买卖合同"],
      f=["price:成交价格（元）:number", "years:卖方持有年限:select:lt2=不满2年|2to5=2年以上不满5年|gte5=5年以上"],
      tags=["tax"], al=["二手房交税", "卖房个税"], pop=560, kind="other",
      cond=["转让存量房的卖方和买受的买方"]),
    T("税务注销", "SWJ", ["E32", "E05"], scope="both", depth="full", legal=20, prom=1,
      mats=["agid", "?清税申报资料"], f=["reason:注销原因:select:dissolve=决议解散|cancel=吊销或撤销|merge=合并分立|other=其他"],
      tags=["tax"], al=["清税证明", "公司税务注销", "税务销户"], pop=520,
      cond=["需要办理注销登记、已结清应纳税款和发票的纳税人"],
      guide="未领用发票、无欠税的纳税人可即时出具清税文书，符合简易注销条件的免予到税务部门办理清税"),
    # ---------------------------------------------------------------- enterprise: deregistration
    T("企业注销登记", "SCJGJ", ["E32"], kind="licensing", scope="both", depth="full", legal=3, prom=1,
      mats=["注销登记申请书", "清算报告或者股东会决议", "清税证明", "营业执照|original"],
      f=["reason:注销原因:select:dissolve=章程规定或股东会决议解散|cancel=被吊销营业执照|merge=合并分立",
         "announce_date:债权人公告日期:date"],
      tags=["business"], al=["注销公司", "公司关门", "注销营业执照"], pop=640,
      cond=["已成立清算组完成清算、结清税款和债务的企业"],
      guide="企业注销一网通办，市场监管、税务、社保、海关等注销信息同步推送"),
    T("企业简易注销登记", "SCJGJ", ["E32"], kind="licensing", depth="full", legal=3, prom=1,
      mats=["简易注销全体投资人承诺书"], f=["announce_date:简易注销公示日期:date"],
      tags=["business"], al=["简易注销", "快速注销公司"], pop=520,
      cond=["未开业或无债权债务的企业，公示期满20天无异议"]),
    T("单位社会保险注销登记", "RSJ", ["E32", "E07"], depth="full", legal=5, prom=3,
      mats=["注销或终止的证明材料"], f=["reason:注销原因:select:dissolve=企业注销|merge=合并分立|move=迁出统筹区"],
      tags=["social_security"], al=["社保销户", "单位社保注销"], pop=210, cond=["依法终止的参保单位"]),
    T("住房公积金单位账户注销", "GJJ", ["E32", "E07"], depth="full", legal=3, prom=1,
      mats=["单位注销证明材料", "职工公积金转移或封存清单"], f=["reason"],
      tags=["housing_fund"], al=["公积金销户", "单位公积金注销"], pop=150, cond=["依法终止的缴存单位"]),
    T("海关报关单位注销", "HG", ["E32", "E13"], depth="full", legal=5, prom=1,
      mats=["注销申请"], f=["customs_code:海关编码:text"], al=["注销海关备案"], pop=30, kind="other",
      cond=["依法终止或不再从事报关业务的单位"]),
]

TEMPLATES += [
    # ---------------------------------------------------------------- enterprise: HR and social security
    T("单位招用员工就业登记", "RSJ", ["E06"], depth="full", legal=5, prom=0,
      mats=["劳动合同"], f=["employee_name:员工姓名:text", "employee_id_number:员工身份证号码:id_number",
                            "start_date:入职日期:date"],
      tags=["social_security"], al=["新员工登记", "招工备案", "用工备案"], pop=520,
      cond=["招用劳动者的用人单位，在录用之日起30日内办理"]),
    T("招聘岗位信息发布", "RSJ", ["E06"], depth="full", legal=3, prom=1,
      mats=["bl"], f=["job_title:岗位名称:text", "headcount:招聘人数:number", "salary:月薪范围:text",
                        "job_desc:岗位要求:textarea"],
      al=["发布招聘", "招人", "公司招工"], pop=430,
      cond=["在本市依法登记的用人单位"]),
    T("人力资源服务许可", "RSJ", ["E02", "E06"], depth="full", legal=20, prom=10,
      mats=["bl", "专职工作人员学历证明", "服务场所证明", "工作规章制度"], f=["premises"],
      al=["职业中介许可", "开人才中介"], pop=40,
      cond=["从事职业中介活动的经营性人力资源服务机构"]),
    T("劳务派遣经营许可", "RSJ", ["E02", "E06"], depth="full", legal=20, prom=10,
      mats=["bl", "注册资本证明（不少于200万元）", "经营场所证明", "劳务派遣管理制度"], f=["premises"],
      al=["劳务派遣证"], pop=45, cond=["注册资本不少于200万元的公司"]),
    T("企业实行不定时工作制和综合计算工时工作制审批", "RSJ", ["E06"], depth="full", legal=20, prom=10,
      mats=["申请书", "工会或职工代表意见", "实施方案"],
      f=["work_system:工时制度:select:flexible=不定时工作制|comprehensive=综合计算工时工作制", "positions:涉及岗位:textarea",
         "count"],
      al=["特殊工时审批", "综合工时"], pop=70, cond=["因生产特点不能实行标准工时制度的企业"]),
    T("外国人来华工作许可", "KJJ", ["E06", "E14"], depth="full", legal=10, prom=5,
      mats=["外国人护照", "工作资历证明", "最高学位证书或相关批准文件", "无犯罪记录证明", "体检证明", "劳动合同"],
      f=["foreigner_name:外国人姓名:text", "nationality:国籍:text", "position:拟任职务:text",
         "category:人员类别:select:a=外国高端人才（A类）|b=外国专业人才（B类）|c=其他外国人员（C类）"],
      al=["外国人工作证", "聘请外籍员工"], pop=35, cond=["聘用外国人的境内用人单位"]),
    T("吸纳就业困难人员社会保险补贴申领", "RSJ", ["E06", "E07"], depth="full", legal=20, prom=15,
      mats=["劳动合同", "社会保险缴费明细"], f=["count:吸纳人数:number", "bankno"],
      tags=["social_security"], al=["招困难人员补贴", "社保补贴"], pop=150, kind="other",
      cond=["招用就业困难人员并为其缴纳社会保险费的用人单位"]),
    T("企业吸纳就业补贴申领", "RSJ", ["E06", "E09"], depth="full", legal=20, prom=15,
      mats=["劳动合同", "社会保险缴费明细", "单位银行账户信息"], f=["count:吸纳人数:number", "bankno"],
      al=["招大学生补贴", "一次性吸纳就业补贴"], pop=180, kind="other",
      cond=["招用毕业2年内高校毕业生、就业困难人员等并缴纳社保满6个月的中小微企业"]),
    T("单位社会保险参保登记", "RSJ", ["E07"], scope="both", depth="full", legal=5, prom=0,
      mats=["bl"], f=["bankname", "bankno", "count"],
      tags=["social_security"], al=["公司开社保户", "单位交社保开户", "企业社保登记"], pop=640,
      cond=["新设立的用人单位，自成立之日起30日内办理"]),
    T("职工参保登记（增员、减员）", "RSJ", ["E07"], depth="full", legal=1, prom=0,
      mats=["职工身份证件信息"], f=["action:业务类型:select:add=增员|remove=减员",
                                  "employee_name:职工姓名:text", "employee_id_number:职工身份证号码:id_number",
                                  "effective_date:生效日期:date"],
      tags=["social_security"], al=["社保增员", "社保减员", "给员工交社保", "帮员工买社保"], pop=880,
      cond=["已办理社会保险登记的用人单位"]),
    T("社会保险费缴费基数申报", "RSJ", ["E07", "E05"], depth="full", legal=1, prom=0,
      mats=["职工工资总额信息"], f=["year:申报年度:number", "wage_total:上年度工资总额（元）:number", "count"],
      tags=["social_security", "tax"], al=["社保基数申报", "年度基数申报", "调整社保基数"], pop=720,
      cond=["已参保的用人单位，每年按规定申报职工缴费工资"],
      guide="单位每年核定一次缴费基数，社会保险费由税务部门统一征收"),
    T("失业保险稳岗返还申领", "RSJ", ["E07", "E06"], depth="full", legal=20, prom=10,
      mats=["单位银行账户信息"], f=["bankno"], tags=["social_security"],
      al=["稳岗补贴", "稳岗返还"], pop=410, kind="other",
      cond=["上年度未裁员或裁员率低于规定标准、足额缴纳失业保险费的企业"]),
    T("单位职工基本医疗保险参保登记", "YBJ", ["E07"], depth="full", legal=5, prom=0,
      mats=["bl"], f=["count"], tags=["social_security"], al=["单位医保开户", "企业医保登记"], pop=500,
      cond=["新设立的用人单位"]),
    T("住房公积金单位缴存登记", "GJJ", ["E07"], depth="full", legal=3, prom=1,
      mats=["bl", "agid"], f=["bankname", "count", "deposit_rate:缴存比例:select:5=5%|8=8%|10=10%|12=12%"],
      tags=["housing_fund"], al=["公司开公积金户", "单位公积金开户"], pop=560,
      cond=["新设立的单位，应自设立之日起30日内办理"]),
    T("住房公积金单位汇缴和职工增减", "GJJ", ["E07"], depth="full", legal=1, prom=0,
      mats=["职工名单"], f=["action:业务类型:select:pay=月度汇缴|add=职工开户|seal=职工封存",
                                "month:所属月份:text"],
      tags=["housing_fund"], al=["公积金汇缴", "给员工交公积金", "公积金增员"], pop=760,
      cond=["已办理缴存登记的单位"]),
    T("住房公积金缴存基数和比例调整", "GJJ", ["E07"], depth="full", legal=3, prom=1,
      mats=["职工工资情况"], f=["year:调整年度:number", "deposit_rate:缴存比例:select:5=5%|8=8%|10=10%|12=12%"],
      tags=["housing_fund"], al=["公积金基数调整", "公积金年度调整"], pop=480, cond=["已办理缴存登记的单位，每年7月集中调整"]),
    T("住房公积金缓缴或降低缴存比例申请", "GJJ", ["E07", "E09"], depth="full", legal=10, prom=5,
      mats=["职工代表大会或工会讨论意见", "单位经营困难说明"], f=["months:申请缓缴月数:number", "reason"],
      tags=["housing_fund"], al=["公积金缓缴", "降低公积金比例"], pop=90, kind="other",
      cond=["生产经营困难的缴存单位"]),
    T("住房公积金单位缴存证明出具", "GJJ", ["E07", "E12"], depth="full", legal=1, prom=0,
      mats=["agid"], f=["purpose:用途:text"], tags=["housing_fund"], al=["单位公积金证明", "投标公积金证明"],
      pop=210, cond=["已办理缴存登记的单位"]),
    # ---------------------------------------------------------------- enterprise: investment, finance, trade, tender
    T("企业投资项目备案", "FGJ", ["E08"], depth="full", legal=1, prom=0,
      mats=["项目单位基本情况", "项目情况说明"], f=["project", "projaddr", "invest", "content:建设规模和内容:textarea"],
      al=["项目备案", "投资备案", "办项目立项"], pop=360, kind="other",
      cond=["不使用政府投资、不在核准目录内的企业投资项目"],
      guide="通过广东省投资项目在线审批监管平台告知备案，获取项目代码后可办理后续审批"),
    T("企业投资项目核准", "FGJ", ["E08"], depth="full", legal=20, prom=15,
      mats=["项目申请报告", "规划选址意见或用地预审意见", "bl"], f=["project", "projaddr", "invest"],
      al=["项目核准", "立项核准"], pop=60, cond=["列入政府核准的投资项目目录的企业投资项目"]),
    T("政府投资项目可行性研究报告审批", "FGJ", ["E08"], depth="full", legal=20, prom=15,
      mats=["可行性研究报告", "项目建议书批复", "用地预审与选址意见"], f=["project", "invest"],
      al=["可研批复"], pop=40, cond=["使用政府投资的建设项目单位"]),
    T("固定资产投资项目节能审查", "FGJ", ["E08", "E19"], depth="full", legal=20, prom=10,
      mats=["节能报告", "项目核准或备案文件"], f=["project", "energy_use:年综合能源消费量（吨标准煤）:number"],
      al=["节能审查", "能评"], pop=50, cond=["年综合能源消费量1000吨标准煤以上的固定资产投资项目"]),
    T("重点用能单位能源利用状况报告", "FGJ", ["E19"], depth="full", legal=1, prom=0,
      mats=["能源利用状况报告"], f=["year:报告年度:number", "energy_use:年综合能源消费量（吨标准煤）:number"],
      al=["能耗报告", "能源报表"], pop=35, kind="other", cond=["年综合能源消费总量一万吨标准煤以上的用能单位"]),
    T("企业温室气体排放信息报告", "STHJJ", ["E19"], depth="full", legal=1, prom=0,
      mats=["温室气体排放报告", "监测计划"], f=["year:报告年度:number", "emission:二氧化碳排放量（吨）:number"],
      al=["碳排放报告", "碳核查"], pop=25, kind="other",
      cond=["纳入省碳排放管理和交易的控排企业和报告企业"]),
    T("气候可行性论证", "QXJ", ["E19", "E20"], depth="apply", legal=30, prom=20,
      mats=["论证申请", "项目基本资料"], f=["project", "projaddr"], al=["气候论证"], pop=10,
      cond=["城乡规划、重点领域或区域发展建设规划及重大基础设施建设项目"]),
    T("中小微企业融资风险补偿贷款申请", "JRJ", ["E09"], depth="full", legal=20, prom=10,
      mats=["bl", "近一年财务报表", "贷款用途说明"], f=["amount:申请贷款金额（万元）:number", "bank:合作银行:text"],
      al=["企业贷款", "政银企贷款", "风险补偿贷"], pop=150, kind="other",
      cond=["在本市注册、经营正常、信用良好的中小微企业"]),
    T("企业上市挂牌奖补申请", "JRJ", ["E09"], depth="full", legal=30, prom=20,
      mats=["bl", "上市或挂牌证明文件", "中介机构费用凭证"], f=["market:上市挂牌板块:select:main=主板|gem=创业板|bse=北交所|neeq=新三板|regional=区域股权市场"],
      al=["上市补贴"], pop=15, kind="other", cond=["在本市注册、已上市或挂牌的企业"]),
    T("应急转贷资金申请", "JRJ", ["E09"], depth="full", legal=10, prom=3,
      mats=["bl", "银行续贷承诺函", "借款合同"], f=["amount:申请金额（万元）:number"],
      al=["过桥资金", "转贷资金"], pop=40, kind="other", cond=["贷款即将到期、银行同意续贷的中小微企业"]),
    T("对外贸易经营者备案登记", "SWUJ", ["E11", "E14"], depth="full", legal=5, prom=1,
      mats=["bl", "对外贸易经营者备案登记表"], f=["english_name:企业英文名称:text"],
      al=["外贸备案", "进出口权", "做外贸要办什么"], pop=120, kind="other",
      cond=["从事货物进出口或技术进出口的对外贸易经营者"]),
    T("单用途商业预付卡发卡企业备案", "SWUJ", ["E11"], depth="full", legal=5, prom=3,
      mats=["bl", "单用途预付卡业务管理制度"], f=["card_type:卡类型:text"], al=["会员卡备案", "储值卡备案"], pop=40,
      kind="other", cond=["发行单用途商业预付卡的零售、住宿餐饮、居民服务业企业"]),
    T("再生资源回收经营者备案", "SWUJ", ["E11", "E18"], depth="full", legal=5, prom=3,
      mats=["bl", "经营场所证明"], f=["premises"], al=["废品回收备案"], pop=45, kind="other",
      cond=["从事再生资源回收经营活动的经营者"]),
    T("成品油零售经营资格审批", "SWUJ", ["E11", "E02"], depth="full", legal=20, prom=15,
      mats=["申请书", "bl", "加油站规划选址确认文件", "安全评价报告", "消防验收合格证明"], f=["premises"],
      al=["加油站审批", "开加油站"], pop=15, cond=["符合成品油零售网点规划的企业"]),
    T("报废机动车回收拆解企业资质认定", "SWUJ", ["E11", "E03"], depth="full", legal=20, prom=15,
      mats=["申请书", "bl", "场地和设备证明", "环评批复"], f=["premises"], kind="licensing",
      al=["报废车回收资质"], pop=8, cond=["符合报废机动车回收拆解企业技术规范的企业"]),
    T("拍卖企业设立审批", "SWUJ", ["E12"], depth="full", legal=20, prom=15,
      mats=["申请书", "公司章程", "拍卖师执业资格证书", "经营场所证明"], f=["premises"],
      al=["开拍卖公司"], pop=10, cond=["注册资本和拍卖师等符合《拍卖法》规定的企业"]),
    T("公共资源交易主体信息登记", "GGZY", ["E12"], depth="full", legal=1, prom=0,
      mats=["bl", "lrid", "资质证书"], f=["role:主体类型:select:bidder=投标人|tenderer=招标人|agent=招标代理|supplier=供应商"],
      al=["投标报名注册", "公共资源交易注册", "CA锁办理"], pop=260, kind="other",
      cond=["参与本市工程建设、政府采购等公共资源交易的市场主体"]),
    T("工程建设项目招标投标情况书面报告备案", "ZJJ", ["E12", "E16"], depth="full", legal=15, prom=5,
      mats=["招标投标情况书面报告", "中标通知书"], f=["project", "winner:中标人:text", "bid_amount:中标价（元）:number"],
      al=["招标备案", "中标备案"], pop=90, kind="other", cond=["依法必须招标的房屋建筑和市政工程项目招标人"]),
    T("工程建设项目招标方案核准", "FGJ", ["E12", "E08"], depth="full", legal=20, prom=10,
      mats=["招标方案", "项目审批或核准文件"], f=["project", "tender_mode:招标方式:select:open=公开招标|invite=邀请招标"],
      al=["招标核准"], pop=30, cond=["依法必须进行招标的政府投资和核准类项目"]),
    T("政府采购供应商信息登记", "CZJ", ["E12"], depth="full", legal=1, prom=0,
      mats=["bl", "lrid"], f=["products:主要产品或服务:textarea"], al=["政府采购注册", "做政府生意"], pop=150,
      kind="other", cond=["参与政府采购活动的供应商"]),
]

TEMPLATES += [
    # ---------------------------------------------------------------- enterprise: customs, agriculture
    T("报关单位备案", "HG", ["E13"], depth="full", legal=1, prom=0,
      mats=["bl", "报关单位备案信息表"], f=["customs_type:备案类型:select:consignor=进出口货物收发货人|broker=报关企业"],
      al=["海关备案", "海关注册", "进出口收发货人备案"], pop=110, kind="other",
      cond=["从事进出口业务或报关业务的企业"]),
    T("原产地证书签发", "HG", ["E13", "E14"], depth="full", legal=2, prom=1,
      mats=["原产地证书申请书", "商业发票", "产品成本明细"], f=["dest_country:出口国家或地区:text",
                                                      "cert_type:证书种类:select:general=一般原产地证书|fta=优惠贸易协定原产地证书"],
      al=["产地证", "出口原产地证明"], pop=60, cond=["已备案的出口货物发货人"]),
    T("出口食品生产企业备案", "HG", ["E13", "E27"], depth="full", legal=5, prom=3,
      mats=["bl", "食品安全卫生控制体系文件", "厂区平面图"], f=["products:出口食品品种:textarea"],
      al=["出口食品备案", "柚子出口备案"], pop=30, kind="other", cond=["生产出口食品的企业"]),
    T("进境动植物及其产品检疫审批", "HG", ["E27", "E13"], depth="full", legal=20, prom=10,
      mats=["检疫审批申请表", "贸易合同", "进境后的生产、加工、存放场所证明"], f=["product:进境物品名称:text",
                                                                      "origin:输出国家或地区:text"],
      al=["进口检疫许可"], pop=15, cond=["需要输入动植物及其产品的单位"]),
    T("出入境特殊物品卫生检疫审批", "HG", ["E27", "E21"], depth="full", legal=20, prom=10,
      mats=["申请表", "特殊物品描述性材料", "风险评估报告"], f=["item_name:特殊物品名称:text"],
      al=["血液制品进出境审批"], pop=8, cond=["出入境微生物、人体组织、生物制品、血液及其制品的单位"]),
    T("动物检疫合格证明出具", "NYNCJ", ["E27", "E15"], scope="county", depth="full", legal=1, prom=0,
      mats=["检疫申报单", "养殖档案"], f=["animal:动物种类:select:pig=生猪|cattle=牛|poultry=家禽|other=其他",
                                     "head_count:数量（头/羽）:number", "dest:运往地:text"],
      al=["检疫证", "卖猪检疫", "动物检疫证"], pop=240, kind="other",
      cond=["出售或运输动物、动物产品的货主，应提前申报检疫"]),
    T("植物检疫证书核发", "NYNCJ", ["E27", "E15"], depth="full", legal=7, prom=3,
      mats=["植物检疫申请单", "产地检疫合格证明"], f=["plant:植物及植物产品名称:text", "quantity:数量:text", "dest:运往地:text"],
      al=["调运检疫", "苗木检疫证"], pop=60, cond=["调运应施检疫的植物、植物产品的单位和个人"]),
    T("动物防疫条件合格证核发", "NYNCJ", ["E15", "E27"], depth="full", legal=20, prom=10,
      mats=["申请表", "场所地理位置图和平面布局图", "动物防疫制度"],
      f=["premises", "animal:养殖品种:select:pig=生猪|cattle=牛羊|poultry=家禽|other=其他", "scale:养殖规模:number"],
      al=["养猪场防疫证", "养殖场许可"], pop=110,
      cond=["动物饲养场、隔离场所、屠宰加工场所和动物无害化处理场所"]),
    T("农作物种子生产经营许可证核发", "NYNCJ", ["E15"], depth="full", legal=20, prom=10,
      mats=["申请书", "bl", "种子检验设备和人员证明", "经营场所证明"], f=["crops:经营作物种类:text"],
      al=["种子许可证", "卖种子许可"], pop=45, cond=["从事农作物种子生产经营的企业"]),
    T("农药经营许可", "NYNCJ", ["E15", "E02"], depth="full", legal=20, prom=10,
      mats=["申请表", "bl", "经营人员农药专业学历或培训证明", "经营和仓储场所证明"], f=["premises"],
      al=["农药店许可证", "卖农药办证"], pop=90, cond=["从事农药经营的单位和个人"]),
    T("兽药经营许可证核发", "NYNCJ", ["E15", "E02"], depth="full", legal=20, prom=15,
      mats=["申请表", "bl", "兽医专业人员证明", "经营场所和设施证明"], f=["premises"],
      al=["兽药店许可"], pop=40, cond=["从事兽药经营的企业"]),
    T("渔业捕捞许可证核发", "NYNCJ", ["E15"], depth="full", legal=20, prom=10,
      mats=["申请书", "渔业船舶检验证书", "渔业船舶登记证书"], f=["vessel:渔船名称:text",
                                                      "waters:作业水域:select:meijiang=梅江|hanjiang=韩江|reservoir=水库"],
      al=["捕鱼证"], pop=20, cond=["从事内陆水域捕捞作业的单位和个人"]),
    T("农业机械购置与应用补贴申领", "NYNCJ", ["P31", "E15"], depth="full", legal=30, prom=20,
      mats=["申请人身份证件或营业执照", "购机发票", "bank"], f=["machine:机具品目:text", "price:购机价格（元）:number", "bankno"],
      al=["农机补贴", "买拖拉机补贴", "买收割机补贴"], pop=190, kind="other",
      cond=["购买补贴目录内农业机械的农户和农业生产经营组织"]),
    T("耕地地力保护补贴申领", "NYNCJ", ["P31", "E15"], scope="village", depth="full", legal=30, prom=20,
      mats=["id", "承包耕地面积证明", "bank"], f=["farmland_area:承包耕地面积（亩）:number", "bankno"],
      al=["种粮补贴", "耕地补贴"], pop=260, kind="other",
      cond=["拥有耕地承包权的种地农民"],
      guide="由村（居）委员会统一核实耕地面积并公示，补贴资金通过社保卡或一卡通发放"),
    T("农村土地承包经营权流转合同备案", "NYNCJ", ["P31", "E15"], scope="town", depth="full", legal=10, prom=3,
      mats=["流转双方身份证件或营业执照", "土地流转合同", "承包经营权证书"],
      f=["land_area:流转面积（亩）:number", "years:流转年限:number",
         "mode:流转方式:select:lease=出租|sublease=转包|share=入股|other=其他"],
      al=["土地流转", "租地备案"], pop=150, kind="other", cond=["承包土地经营权流转的双方"]),
    # ---------------------------------------------------------------- enterprise: land, planning, construction
    T("建设项目用地预审与选址意见书核发", "ZRZYJ", ["E08", "E16"], depth="full", legal=20, prom=10,
      mats=["申请表", "项目建议书或备案证明", "用地范围界址点坐标"], f=["project", "projaddr", "land_area:拟用地面积（公顷）:number"],
      al=["选址意见书", "用地预审"], pop=60, cond=["需要使用土地的建设项目"]),
    T("建设用地规划许可证核发", "ZRZYJ", ["E16"], depth="full", legal=20, prom=5,
      mats=["申请表", "土地出让合同或划拨决定书", "宗地图"], f=["project", "projaddr", "land_area:用地面积（平方米）:number"],
      al=["用地规划许可", "用地规划证"], pop=90, cond=["以出让或划拨方式取得国有土地使用权的建设单位"]),
    T("建筑工程施工许可证核发", "ZJJ", ["E16"], scope="both", depth="full", legal=7, prom=3,
      mats=["申请表", "建设工程规划许可证", "施工合同", "施工图设计文件审查合格证明", "质量安全监督手续"],
      f=["project", "projaddr", "area", "invest", "contractor:施工单位:text"],
      al=["施工许可证", "开工证", "报建"], pop=250,
      cond=["工程投资额在100万元以上或建筑面积在500平方米以上的房屋建筑和市政工程"]),
    T("建设工程竣工验收备案", "ZJJ", ["E16"], depth="full", legal=15, prom=5,
      mats=["竣工验收报告", "规划、消防等验收意见", "工程质量保修书"], f=["project", "finish_date:竣工验收日期:date"],
      al=["竣工备案", "验收备案"], pop=120, kind="other", cond=["已完成竣工验收的房屋建筑和市政工程"]),
    T("商品房预售许可", "ZJJ", ["E16"], depth="full", legal=10, prom=5,
      mats=["申请表", "bl", "房地产开发企业资质证书", "建设工程规划许可证和施工许可证", "投资证明和进度证明"],
      f=["project:楼盘名称:text", "presale_area:预售面积（平方米）:number"],
      al=["预售证", "楼盘开盘审批"], pop=70, cond=["投入开发建设资金达到规定比例的房地产开发企业"]),
    T("建设工程消防设计审查", "ZJJ", ["E16", "E29"], depth="full", legal=15, prom=10,
      mats=["消防设计文件", "建设工程规划许可证", "申请表"], f=["project", "area"],
      al=["消防报审", "消防设计审核"], pop=110, cond=["特殊建设工程的建设单位"]),
    T("建设工程消防验收", "ZJJ", ["E16", "E29"], depth="full", legal=15, prom=10,
      mats=["消防验收申请表", "工程竣工验收报告", "消防设施检测报告"], f=["project", "area"],
      al=["消防验收", "消防报验"], pop=130, cond=["特殊建设工程竣工后的建设单位"]),
    T("国有建设用地使用权首次登记", "BDCDJ", ["E16"], kind="other", depth="full", legal=30, prom=5,
      fees=[("不动产登记费（非住宅）", "550元/件")],
      mats=["bl", "土地出让合同和价款缴纳凭证", "宗地图和界址点坐标", "完税凭证"],
      f=["parcel_no:宗地代码:text", "land_area:宗地面积（平方米）:number"], al=["土地证", "拿地办证"], pop=70,
      cond=["以出让、划拨等方式取得国有建设用地使用权的权利人"]),
    T("建筑业企业资质核准（施工总承包三级等）", "ZJJ", ["E03", "E16"], depth="full", legal=20, prom=15,
      mats=["资质申请表", "bl", "技术负责人和注册人员证书", "安全生产许可证"],
      f=["qualification:申请资质:text", "grade:等级:select:3=三级|labor=施工劳务|other=其他"],
      al=["建筑资质", "施工资质", "办资质"], pop=160, kind="licensing",
      cond=["具备相应净资产、人员和技术装备条件的建筑业企业"]),
    T("房地产开发企业资质核定", "ZJJ", ["E03"], depth="full", legal=20, prom=10,
      mats=["申请表", "bl", "专业管理人员证明"], f=["grade:资质等级:select:2=二级|provisional=暂定资质"],
      al=["开发商资质"], pop=40, kind="licensing", cond=["从事房地产开发经营的企业"]),
    T("建筑施工企业安全生产许可证核发", "ZJJ", ["E03", "E28"], depth="full", legal=45, prom=20,
      mats=["申请表", "bl", "安全生产管理制度", "三类人员安全生产考核合格证书"], f=["count"],
      al=["建筑安许证", "安全生产许可证"], pop=110, cond=["从事建筑施工活动的建筑施工企业"]),
]

TEMPLATES += [
    # ---------------------------------------------------------------- enterprise: transport, environment, water, weather
    T("道路货物运输经营许可", "JTYSJ", ["E17", "E02"], depth="full", legal=20, prom=5,
      mats=["申请表", "bl", "车辆行驶证和技术等级证明", "驾驶人员从业资格证", "安全生产管理制度"],
      f=["vehicles:车辆数:number", "cargo:经营范围:select:general=普通货运|container=集装箱运输|large=大型物件运输"],
      al=["道路运输经营许可证", "货运资质", "办运输证"], pop=260,
      cond=["有符合要求的车辆、驾驶人员和安全生产管理制度的经营者"]),
    T("道路旅客运输经营许可", "JTYSJ", ["E17", "E02"], depth="full", legal=20, prom=10,
      mats=["申请表", "bl", "客车技术等级证明", "驾驶人员从业资格证", "安全生产管理制度"],
      f=["routes:拟经营线路:textarea", "vehicles:车辆数:number"], al=["客运许可", "班车经营许可"], pop=40,
      cond=["具备相应车辆、驾驶人员和安全制度的企业"]),
    T("道路运输证配发", "JTYSJ", ["E17"], depth="full", legal=5, prom=1,
      mats=["vl", "车辆技术等级评定证明", "道路运输经营许可证"], f=["plate_no:号牌号码:text"],
      al=["营运证", "车辆营运证", "货车营运证"], pop=330, kind="other",
      cond=["已取得道路运输经营许可、新增营运车辆的经营者"]),
    T("道路运输车辆年度审验", "JTYSJ", ["E17", "E04"], depth="full", legal=5, prom=0,
      mats=["道路运输证", "车辆综合性能检测报告"], f=["plate_no:号牌号码:text"], al=["营运车年审", "运输证年审"],
      pop=380, kind="other", cond=["持有道路运输证的营运车辆"]),
    T("网络预约出租汽车经营许可", "JTYSJ", ["E17", "E02"], depth="full", legal=20, prom=15,
      mats=["申请表", "bl", "线上服务能力认定结果", "服务质量保障制度"], f=["platform:平台名称:text"],
      al=["网约车平台许可"], pop=15, cond=["在本市从事网约车经营的平台公司"]),
    T("网络预约出租汽车运输证核发", "JTYSJ", ["E17", "P18"], depth="full", legal=10, prom=5,
      mats=["vl", "车辆保险凭证", "车辆卫星定位装置安装证明"], f=["plate_no:号牌号码:text", "platform:接入平台:text"],
      al=["网约车运输证", "车辆网约车证"], pop=160, cond=["拟从事网约车经营的7座及以下乘用车"]),
    T("机动车维修经营备案", "JTYSJ", ["E17", "E02"], scope="county", depth="full", legal=5, prom=1,
      mats=["备案表", "bl", "维修场地和设备证明", "技术人员证明"], f=["premises",
                                                           "category:维修类别:select:1=一类|2=二类|3=三类"],
      al=["修车厂备案", "开汽修店"], pop=120, kind="other", cond=["从事机动车维修经营的经营者"]),
    T("超限运输车辆行驶公路许可", "JTYSJ", ["E17"], depth="full", legal=15, prom=5,
      mats=["申请表", "vl", "货物和车货总体轮廓图", "护送方案"], f=["route:通行路线:textarea", "total_weight:车货总重（吨）:number"],
      al=["大件运输许可", "超限通行证"], pop=50, cond=["运载不可解体物品的超限运输车辆"]),
    T("建设项目环境影响报告表审批", "STHJJ", ["E18", "E08"], depth="full", legal=30, prom=10,
      mats=["申请表", "环境影响报告表", "项目备案证明"], f=["project", "projaddr", "invest"],
      al=["环评审批", "办环评", "环评批复"], pop=210, cond=["依法应当编制环境影响报告表的建设项目"]),
    T("建设项目环境影响报告书审批", "STHJJ", ["E18", "E08"], depth="full", legal=60, prom=30,
      mats=["申请表", "环境影响报告书", "公众参与说明", "项目核准或备案文件"], f=["project", "projaddr", "invest"],
      al=["环评报告书"], pop=40, cond=["可能造成重大环境影响、应当编制报告书的建设项目"]),
    T("排污许可证核发", "STHJJ", ["E18"], depth="full", legal=20, prom=10,
      mats=["排污许可证申请表", "自行监测方案", "守法承诺书"], f=["industry:行业类别:text",
                                                     "manage_type:管理类别:select:key=重点管理|simple=简化管理"],
      al=["排污证", "排污许可"], pop=150, cond=["纳入固定污染源排污许可分类管理名录的排污单位"]),
    T("固定污染源排污登记", "STHJJ", ["E18"], depth="full", legal=1, prom=0,
      mats=["排污登记表"], f=["industry:行业类别:text"], al=["排污登记"], pop=180, kind="other",
      cond=["污染物产生量、排放量很小的登记管理排污单位"]),
    T("危险废物经营许可证核发", "STHJJ", ["E18"], depth="full", legal=20, prom=15,
      mats=["申请书", "经营设施和技术人员证明", "污染防治措施和应急预案"], f=["waste_types:经营危险废物类别:textarea"],
      al=["危废经营许可"], pop=10, cond=["从事危险废物收集、贮存、利用、处置经营活动的单位"]),
    T("城市建筑垃圾处置核准", "CGJ", ["E18", "E16"], depth="full", legal=20, prom=5,
      mats=["申请表", "建筑垃圾处置方案", "运输单位和消纳场证明"], f=["project", "volume:处置量（立方米）:number"],
      al=["余泥渣土排放", "建筑垃圾证"], pop=90, cond=["处置建筑垃圾的建设、施工或运输单位"]),
    T("城镇污水排入排水管网许可", "SHWJ", ["E20", "E31"], depth="full", legal=20, prom=10,
      mats=["申请表", "排水户内部排水管网图", "水质检测报告"], f=["premises", "volume:日排水量（吨）:number"],
      al=["排水许可", "排水证"], pop=110, cond=["向城镇排水设施排放污水的排水户"]),
    T("取水许可", "SHWJ", ["E20"], depth="full", legal=45, prom=20,
      mats=["取水许可申请书", "建设项目水资源论证报告", "取水工程位置图"],
      f=["water_source:水源:text", "volume:年取水量（万立方米）:number",
         "use:取水用途:select:industry=工业|agriculture=农业|hydro=水力发电|supply=公共供水"],
      al=["取水证", "抽水许可"], pop=70, cond=["直接从江河、湖泊或地下取用水资源的单位和个人"]),
    T("生产建设项目水土保持方案审批", "SHWJ", ["E20", "E18"], depth="full", legal=20, prom=10,
      mats=["申请书", "水土保持方案报告书"], f=["project", "projaddr"], al=["水保方案", "水土保持审批"], pop=80,
      cond=["在山区、丘陵区开办可能造成水土流失的生产建设项目"]),
    T("洪水影响评价审批", "SHWJ", ["E20"], depth="full", legal=20, prom=10,
      mats=["申请书", "洪水影响评价报告"], f=["project", "river:涉及河道:text"],
      al=["防洪评价", "涉河建设审批", "河道管理范围内建设审批"], pop=40,
      cond=["在河道管理范围内建设桥梁、码头、取排水等工程的建设单位"]),
    T("河道采砂许可", "SHWJ", ["E20", "E15"], depth="full", legal=20, prom=10,
      mats=["申请书", "采砂作业方案", "采砂船舶证明"], f=["river:采砂河段:text", "volume:采砂量（万立方米）:number"],
      al=["采砂证"], pop=15, cond=["通过公开竞价取得河道采砂权的单位和个人"]),
    T("雷电防护装置设计审核", "QXJ", ["E20", "E16"], depth="full", legal=20, prom=5,
      mats=["申请书", "防雷装置设计文件", "设计单位资质证明"], f=["project", "area"],
      al=["防雷设计审核", "防雷报建"], pop=90, cond=["油库、气库、弹药库、化学品仓库等易燃易爆建设工程和场所"]),
    T("雷电防护装置竣工验收", "QXJ", ["E20", "E16"], depth="full", legal=20, prom=5,
      mats=["申请书", "防雷装置检测报告", "设计审核意见书"], f=["project"],
      al=["防雷验收"], pop=80, cond=["已通过防雷装置设计审核的建设工程"]),
    T("升放无人驾驶自由气球或者系留气球活动审批", "QXJ", ["E20", "E23"], depth="full", legal=5, prom=3,
      mats=["申请书", "升放资质证明", "安全方案"], f=["event_date:升放日期:date", "location:升放地点:textarea"],
      al=["放气球审批", "庆典气球审批"], pop=15, cond=["在本市升放气球的单位"]),
    T("气象灾害风险预警信息订阅", "QXJ", ["E20", "P22"], depth="full", legal=1, prom=0,
      mats=["申请人身份证件或营业执照"], f=["area:关注区域:text",
                                      "types:预警类型:select:rain=暴雨|typhoon=台风|cold=寒冷|thunder=雷电|all=全部"],
      al=["天气预警短信", "暴雨预警订阅"], pop=150, kind="public_service",
      cond=["需要接收气象预警信息的企业和市民"]),
]

TEMPLATES += [
    # ---------------------------------------------------------------- enterprise: health, science, education, religion
    T("药品零售企业经营许可", "SCJGJ", ["E21", "E02"], depth="full", legal=30, prom=15,
      mats=["申请书", "bl", "执业药师注册证", "经营场所和仓库平面图", "质量管理文件"],
      f=["premises", "pharmacist:执业药师姓名:text"],
      al=["开药店", "药店许可证", "药品经营许可证"], pop=180, cond=["具有依法经过资格认定的药学技术人员的药品零售企业"]),
    T("第二类医疗器械经营备案", "SCJGJ", ["E21", "E02"], depth="full", legal=1, prom=0,
      mats=["备案表", "bl", "经营场所和贮存条件证明", "质量管理制度"], f=["premises", "products:经营产品范围:textarea"],
      al=["二类器械备案", "卖血压计备案"], pop=120, kind="other", cond=["从事第二类医疗器械经营的企业"]),
    T("医疗机构设置审批", "WJJ", ["E21"], depth="full", legal=30, prom=15,
      mats=["设置申请书", "设置可行性研究报告", "选址报告和建筑设计平面图"],
      f=["facility_name:医疗机构名称:text", "category:类别:select:hospital=医院|outpatient=门诊部|other=其他", "beds:床位数:number"],
      al=["开医院审批", "办医院"], pop=20, cond=["申请设置床位在100张以上医疗机构等需审批的单位"]),
    T("高新技术企业认定申报", "KJJ", ["E22", "E03"], depth="full", legal=60, prom=60,
      mats=["认定申请书", "知识产权证明", "研究开发费用专项审计报告", "高新技术产品收入专项审计报告"],
      f=["ip_count:核心知识产权数量:number", "rd_ratio:研发费用占比（%）:number"],
      al=["高企认定", "申报高新技术企业"], pop=140, kind="other",
      cond=["注册成立一年以上、拥有核心自主知识产权、研发费用和科技人员比例达标的企业"]),
    T("科技型中小企业评价入库", "KJJ", ["E22"], depth="full", legal=20, prom=10,
      mats=["企业信息表", "上年度财务报表"], f=["staff:科技人员数:number", "rd_ratio:研发费用占比（%）:number"],
      al=["科技型中小企业入库", "科小评价"], pop=130, kind="other", cond=["在境内注册、职工不超过500人的科技型中小企业"]),
    T("技术合同认定登记", "KJJ", ["E22", "E24"], depth="full", legal=10, prom=5,
      mats=["技术合同文本", "bl"], f=["contract_type:合同类型:select:dev=技术开发|transfer=技术转让|consult=技术咨询|service=技术服务",
                                      "amount:合同金额（元）:number"],
      al=["技术合同登记", "技术交易免税"], pop=60, kind="other", cond=["签订技术合同的法人和其他组织"]),
    T("企业研发费用补助申报", "KJJ", ["E22"], depth="full", legal=60, prom=30,
      mats=["研发费用加计扣除纳税申报材料", "bl"], f=["rd_amount:上年度研发费用（万元）:number"],
      al=["研发补助", "研发奖补"], pop=80, kind="other", cond=["在本市依法纳税并开展研发活动的企业"]),
    T("民办学校设立审批", "JYJ", ["E23"], depth="full", legal=90, prom=60,
      mats=["申办报告", "举办者资格证明", "拟聘校长和教师资格证明", "校舍和资产证明", "学校章程"],
      f=["school:拟设学校名称:text", "stage:办学层次:select:kindergarten=幼儿园|primary=小学|junior=初中|vocational=中等职业学校"],
      al=["办幼儿园", "开民办学校"], pop=30, cond=["具备办学条件的社会组织或个人"]),
    T("娱乐场所经营许可", "WGLTJ", ["E23", "E02"], depth="full", legal=20, prom=10,
      mats=["申请书", "bl", "场所平面图", "消防安全检查合格证明"], f=["premises", "category:场所类型:select:ktv=歌舞娱乐|game=游艺娱乐"],
      al=["KTV许可", "开卡拉OK"], pop=60, cond=["设立歌舞、游艺等娱乐场所的经营者"]),
    T("互联网上网服务营业场所经营单位设立审批", "WGLTJ", ["E23", "E02"], depth="full", legal=20, prom=10,
      mats=["申请书", "bl", "场所使用证明", "信息网络安全管理制度"], f=["premises", "computers:计算机台数:number"],
      al=["网吧许可", "开网吧"], pop=35, cond=["符合上网服务营业场所设立条件的企业"]),
    T("高危险性体育项目经营许可", "WGLTJ", ["E23", "E02"], depth="full", legal=30, prom=15,
      mats=["申请书", "bl", "场所设施符合国家标准的证明", "社会体育指导人员和救助人员资格证明"],
      f=["premises", "sport:项目:select:swim=游泳|ski=滑雪|climb=攀岩|dive=潜水"],
      al=["游泳馆许可", "开游泳池要什么证"], pop=40, cond=["经营游泳、攀岩等高危险性体育项目的企业"]),
    T("旅行社设立许可", "WGLTJ", ["E02", "E23"], depth="full", legal=20, prom=10,
      mats=["申请书", "bl", "经营场所证明", "质量保证金存款证明"], f=["premises"],
      al=["开旅行社"], pop=25, cond=["取得企业法人资格、有固定经营场所和必要营业设施的企业"]),
    T("宗教活动场所设立审批", "MZZJJ", ["E25"], depth="full", legal=30, prom=20,
      mats=["设立申请书", "拟设立场所的宗教团体意见", "场所用地和资金来源证明", "管理组织和规章制度"],
      f=["venue:拟设立场所名称:text", "religion:宗教类别:select:buddhism=佛教|taoism=道教|catholic=天主教|christian=基督教"],
      al=["建寺庙审批", "设立教堂"], pop=8, cond=["由宗教团体提出申请"]),
    T("宗教活动场所登记", "MZZJJ", ["E25"], depth="full", legal=30, prom=20,
      mats=["登记申请书", "设立批准文件", "场所管理组织成员名单", "建筑工程竣工验收合格证明"], f=["venue:场所名称:text"],
      al=["寺庙登记"], pop=8, kind="licensing", cond=["经批准设立并已建成的宗教活动场所"]),
    T("宗教活动场所内改建或者新建建筑物审批", "MZZJJ", ["E25", "E16"], depth="full", legal=20, prom=15,
      mats=["申请书", "建设方案", "资金来源说明"], f=["venue:场所名称:text", "project"],
      al=["寺庙扩建审批"], pop=6, cond=["需要在场所内改建或新建建筑物的宗教活动场所"]),
    T("宗教团体举办大型宗教活动审批", "MZZJJ", ["E25", "E29"], depth="full", legal=20, prom=15,
      mats=["申请书", "活动方案", "安全工作方案"], f=["event_date:活动日期:date", "attendance:预计参加人数:number"],
      al=["大型宗教活动"], pop=5, cond=["宗教团体、寺观教堂在宗教活动场所外举办大型宗教活动"]),
    # ---------------------------------------------------------------- enterprise: quality, work safety, fire
    T("特种设备使用登记", "SCJGJ", ["E26", "E28"], scope="both", depth="full", legal=15, prom=3,
      mats=["特种设备使用登记表", "产品合格证", "监督检验证明", "bl"],
      f=["equipment:设备种类:select:elevator=电梯|boiler=锅炉|pressure=压力容器|crane=起重机械|forklift=场（厂）内专用机动车辆",
         "equip_no:设备代码:text", "equip_address:设备使用地点:textarea"],
      tags=["quality"], al=["电梯登记", "锅炉登记", "叉车上牌"], pop=330, kind="licensing",
      cond=["特种设备使用单位在设备投入使用前或投入使用后30日内办理"]),
    T("特种设备安装改造修理告知", "SCJGJ", ["E26"], depth="full", legal=1, prom=0,
      mats=["施工告知书", "施工单位许可证明"], f=["equipment:设备种类:text", "equip_address:施工地点:textarea",
                                         "start_date:计划施工日期:date"],
      tags=["quality"], al=["电梯安装告知", "特种设备施工告知"], pop=160, kind="other",
      cond=["从事特种设备安装、改造、修理的施工单位，施工前书面告知"]),
    T("特种设备定期检验申报", "SCJGJ", ["E26", "E04"], depth="full", legal=1, prom=0,
      mats=["特种设备使用登记证"], f=["equip_no:设备代码:text", "due_date:检验到期日期:date"],
      tags=["quality"], al=["电梯年检", "锅炉年检", "压力容器检验"], pop=260, kind="public_service",
      cond=["在用特种设备的使用单位，应在检验有效期届满前1个月申报"]),
    T("计量标准器具核准", "SCJGJ", ["E26"], depth="full", legal=20, prom=10,
      mats=["计量标准考核（复查）申请书", "计量标准技术报告", "检定或校准证书"], f=["standard_name:计量标准名称:text"],
      tags=["quality"], al=["计量标准考核", "建标"], pop=30, cond=["建立计量标准的企业、事业单位"]),
    T("强制检定计量器具登记", "SCJGJ", ["E26"], scope="county", depth="full", legal=5, prom=1,
      mats=["强制检定计量器具目录及清单"], f=["instruments:计量器具清单:textarea",
                                      "type:器具类别:select:scale=电子秤|fuel=加油机|taxi=出租车计价器|medical=医用计量器具"],
      tags=["quality"], al=["电子秤检定", "加油机检定", "计量器具备案"], pop=170, kind="other",
      cond=["使用列入强制检定目录的计量器具的单位和个体工商户"]),
    T("工业产品生产许可证核发", "SCJGJ", ["E26", "E02"], depth="full", legal=30, prom=15,
      mats=["申请书", "bl", "产品检验报告", "自我声明"], f=["product:产品名称:text",
                                                     "category:产品类别:select:wire=电线电缆|fertilizer=化肥|cement=水泥|gas=危险化学品|other=其他"],
      tags=["quality"], al=["生产许可证", "QS证", "工业产品许可"], pop=90, cond=["生产列入目录的重要工业产品的企业"]),
    T("企业标准自我声明公开", "SCJGJ", ["E26"], depth="full", legal=1, prom=0,
      mats=["企业产品和服务标准文本"], f=["standard_no:标准编号:text", "standard_name:标准名称:text"],
      tags=["quality"], al=["企业标准备案", "标准公开"], pop=140, kind="other",
      cond=["执行企业标准或公开执行标准的企业"]),
    T("检验检测机构资质认定", "SCJGJ", ["E26", "E03"], depth="full", legal=30, prom=20,
      mats=["资质认定申请书", "管理体系文件", "检验检测能力证明"], f=["scope_items:检验检测能力范围:textarea"],
      tags=["quality"], al=["CMA认证", "检测机构资质"], pop=30, kind="licensing",
      cond=["向社会出具具有证明作用数据、结果的检验检测机构"]),
    T("产品质量监督抽查复检申请", "SCJGJ", ["E26"], depth="full", legal=15, prom=10,
      mats=["复检申请书", "抽查检验结果通知书"], f=["product:产品名称:text", "reason"],
      tags=["quality"], al=["抽检异议", "复检"], pop=20, kind="other", cond=["对抽查检验结果有异议的生产者和销售者"]),
    T("计量器具检定校准申请", "SCJGJ", ["E26", "P31"], depth="apply", legal=10, prom=5,
      fees=[("检定费", "按计量检定收费标准")], mats=["申请人身份证件或营业执照", "待检计量器具"],
      f=["instrument:器具名称:text", "qty:数量:number"],
      tags=["quality"], al=["秤准不准", "校秤", "仪器校准"], pop=150, kind="public_service",
      cond=["需要检定或校准计量器具的单位和个人"]),
    T("危险化学品经营许可", "YJGLJ", ["E28", "E02"], depth="full", legal=30, prom=15,
      mats=["申请书", "bl", "经营和储存场所证明", "安全管理制度", "从业人员安全培训合格证明"],
      f=["premises", "chemicals:经营品种:textarea"], al=["危化品经营许可", "卖油漆许可"], pop=80,
      cond=["从事危险化学品经营的企业"]),
    T("烟花爆竹经营（零售）许可", "YJGLJ", ["E28", "E02"], scope="county", depth="full", legal=20, prom=5,
      mats=["申请书", "bl", "零售场所证明", "安全管理人员培训证明"], f=["premises"],
      al=["卖鞭炮许可", "烟花零售证"], pop=150, cond=["符合烟花爆竹零售网点布局的经营者"]),
    T("生产经营单位生产安全事故应急预案备案", "YJGLJ", ["E28"], depth="full", legal=20, prom=5,
      mats=["应急预案备案申请表", "应急预案评审意见", "应急预案电子文档"], f=["plan_name:预案名称:text"],
      al=["应急预案备案"], pop=130, kind="other", cond=["矿山、危险化学品、烟花爆竹等生产经营单位"]),
    T("第二类、第三类非药品类易制毒化学品生产经营备案", "YJGLJ", ["E28"], depth="full", legal=20, prom=5,
      mats=["备案申请书", "bl", "易制毒化学品管理制度"], f=["chemicals:化学品品种:textarea"],
      al=["易制毒备案"], pop=25, kind="other", cond=["生产、经营第二类、第三类非药品类易制毒化学品的单位"]),
    T("第二类、第三类易制毒化学品购买备案", "GAJ", ["E29", "E28"], depth="full", legal=1, prom=0,
      mats=["备案申请", "bl", "购买用途说明"], f=["chemical:品种名称:text", "quantity:购买数量（千克）:number"],
      al=["买易制毒备案"], pop=30, kind="other", cond=["购买第二类、第三类易制毒化学品的单位"]),
    T("公众聚集场所投入使用、营业前消防安全检查", "XFJY", ["E29", "E02"], depth="full", legal=10, prom=3,
      mats=["申请表", "bl", "消防安全制度", "场所平面布置图", "消防安全承诺书"],
      f=["premises", "area:场所面积（平方米）:number",
         "venue_type:场所类型:select:hotel=宾馆饭店|mall=商场市场|ktv=歌舞娱乐|restaurant=餐饮场所|school=学校幼儿园|other=其他"],
      al=["消防检查", "开业消防许可", "消防安全检查合格证"], pop=210, kind="licensing",
      cond=["宾馆、饭店、商场、歌舞娱乐等公众聚集场所在投入使用、营业前"],
      guide="实行告知承诺的场所，作出承诺并提交材料后当场作出许可，消防部门随后现场核查"),
    T("保安服务公司设立许可", "GAJ", ["E29", "E02"], depth="full", legal=30, prom=20,
      mats=["申请书", "公司章程", "拟任保安服务公司负责人资格证明", "保安员培训计划"], f=["premises"],
      al=["开保安公司"], pop=10, cond=["注册资本不少于100万元，拟任负责人符合条件的公司"]),
    T("旅馆业特种行业许可证核发", "GAJ", ["E29", "E02"], depth="full", legal=20, prom=10,
      mats=["申请表", "bl", "房屋平面图", "治安管理制度", "消防安全检查合格证明"], f=["premises", "rooms:客房数:number"],
      al=["旅馆业许可", "开民宿要办什么", "特行证"], pop=110, cond=["经营旅馆、民宿的单位和个人"]),
]

# ---------------------------------------------------------------- service points
# Addresses, phone numbers and coordinates are seed values near each place.
_HOURS = "周一至周五 8:30-12:00, 14:30-17:30"
_HOURS_HALL = "周一至周五 8:30-12:00, 14:30-17:30；周六 9:00-12:00（部分窗口）"


def _sp(code, name, type_, region, address, phone, lat, lng, hours=_HOURS):
    return {"code": code, "name": name, "type": type_, "region": region, "address": address,
            "hours": hours, "phone": phone, "lat": lat, "lng": lng}


SERVICE_POINTS = [
    _sp("SP-441400-C01", "梅州市行政服务中心", "city_hall", "441400",
        "梅州市梅江区彬芳大道梅州市行政服务中心", "0753-2185123", 24.2989, 116.1091, _HOURS_HALL),
    # Meijiang District
    _sp("SP-441402-H01", "梅江区行政服务中心", "county_hall", "441402",
        "梅州市梅江区江南路梅江区行政服务中心", "0753-2266123", 24.2921, 116.1225, _HOURS_HALL),
    _sp("SP-441402-T01", "梅江区江南街道便民服务中心", "town_station", "441402",
        "梅州市梅江区江南街道梅水路", "0753-2268301", 24.2862, 116.1188),
    _sp("SP-441402-T02", "梅江区西阳镇便民服务中心", "town_station", "441402",
        "梅州市梅江区西阳镇西阳圩", "0753-2678301", 24.3547, 116.2046),
    _sp("SP-441402-T03", "梅江区三角镇便民服务中心", "town_station", "441402",
        "梅州市梅江区三角镇三角圩", "0753-2328301", 24.3265, 116.0889),
    _sp("SP-441402-V01", "梅江区三角镇东升村便民服务站", "village_point", "441402",
        "梅州市梅江区三角镇东升村村委会", "0753-2328412", 24.3352, 116.0803),
    # Meixian District
    _sp("SP-441403-H01", "梅县区行政服务中心", "county_hall", "441403",
        "梅州市梅县区新城宪梓大道梅县区行政服务中心", "0753-2526123", 24.2655, 116.0842, _HOURS_HALL),
    _sp("SP-441403-T01", "梅县区程江镇便民服务中心", "town_station", "441403",
        "梅州市梅县区程江镇程江圩", "0753-2528301", 24.2789, 116.0921),
    _sp("SP-441403-T02", "梅县区松口镇便民服务中心", "town_station", "441403",
        "梅州市梅县区松口镇松口圩", "0753-2788301", 24.4993, 116.4033),
    _sp("SP-441403-T03", "梅县区雁洋镇便民服务中心", "town_station", "441403",
        "梅州市梅县区雁洋镇雁洋圩", "0753-2798301", 24.4101, 116.3175),
    _sp("SP-441403-V01", "梅县区南口镇侨乡村便民服务站", "village_point", "441403",
        "梅州市梅县区南口镇侨乡村村委会", "0753-2448412", 24.3226, 115.9917),
    # Xingning City
    _sp("SP-441481-H01", "兴宁市行政服务中心", "county_hall", "441481",
        "兴宁市兴城人民大道兴宁市行政服务中心", "0753-3316123", 24.1389, 115.7311, _HOURS_HALL),
    _sp("SP-441481-T01", "兴宁市宁新街道便民服务中心", "town_station", "441481",
        "兴宁市宁新街道办事处一楼", "0753-3318301", 24.1463, 115.7244),
    _sp("SP-441481-T02", "兴宁市刁坊镇便民服务中心", "town_station", "441481",
        "兴宁市刁坊镇刁坊圩", "0753-3558301", 24.0672, 115.7968),
    _sp("SP-441481-V01", "兴宁市刁坊镇周兴村便民服务站", "village_point", "441481",
        "兴宁市刁坊镇周兴村村委会", "0753-3558412", 24.0735, 115.8061),
    # Pingyuan County
    _sp("SP-441426-H01", "平远县行政服务中心", "county_hall", "441426",
        "平远县大柘镇平城南路平远县行政服务中心", "0753-8826123", 24.5672, 115.8914, _HOURS_HALL),
    _sp("SP-441426-T01", "平远县大柘镇便民服务中心", "town_station", "441426",
        "平远县大柘镇大柘圩", "0753-8828301", 24.5719, 115.8862),
    _sp("SP-441426-T02", "平远县仁居镇便民服务中心", "town_station", "441426",
        "平远县仁居镇仁居圩", "0753-8958301", 24.7491, 115.8647),
    _sp("SP-441426-V01", "平远县大柘镇城南社区便民服务站", "village_point", "441426",
        "平远县大柘镇城南社区居委会", "0753-8828412", 24.5618, 115.8933),
    # Jiaoling County
    _sp("SP-441427-H01", "蕉岭县行政服务中心", "county_hall", "441427",
        "蕉岭县蕉城镇桂岭大道蕉岭县行政服务中心", "0753-7826123", 24.6587, 116.1708, _HOURS_HALL),
    _sp("SP-441427-T01", "蕉岭县蕉城镇便民服务中心", "town_station", "441427",
        "蕉岭县蕉城镇蕉城圩", "0753-7828301", 24.6631, 116.1667),
    _sp("SP-441427-T02", "蕉岭县新铺镇便民服务中心", "town_station", "441427",
        "蕉岭县新铺镇新铺圩", "0753-7938301", 24.7046, 116.2438),
    _sp("SP-441427-V01", "蕉岭县新铺镇新铺社区便民服务站", "village_point", "441427",
        "蕉岭县新铺镇新铺社区居委会", "0753-7938412", 24.7071, 116.2412),
    # Dabu County
    _sp("SP-441422-H01", "大埔县行政服务中心", "county_hall", "441422",
        "大埔县湖寮镇同仁路大埔县行政服务中心", "0753-5526123", 24.3511, 116.6953, _HOURS_HALL),
    _sp("SP-441422-T01", "大埔县湖寮镇便民服务中心", "town_station", "441422",
        "大埔县湖寮镇湖寮圩", "0753-5528301", 24.3457, 116.6998),
    _sp("SP-441422-T02", "大埔县高陂镇便民服务中心", "town_station", "441422",
        "大埔县高陂镇高陂圩", "0753-5358301", 24.2157, 116.6026),
    _sp("SP-441422-V01", "大埔县百侯镇侯南村便民服务站", "village_point", "441422",
        "大埔县百侯镇侯南村村委会", "0753-5618412", 24.3387, 116.7528),
    # Fengshun County
    _sp("SP-441423-H01", "丰顺县行政服务中心", "county_hall", "441423",
        "丰顺县汤坑镇县城大道丰顺县行政服务中心", "0753-6626123", 23.7591, 116.1822, _HOURS_HALL),
    _sp("SP-441423-T01", "丰顺县汤坑镇便民服务中心", "town_station", "441423",
        "丰顺县汤坑镇汤坑圩", "0753-6628301", 23.7643, 116.1769),
    _sp("SP-441423-T02", "丰顺县留隍镇便民服务中心", "town_station", "441423",
        "丰顺县留隍镇留隍圩", "0753-6458301", 23.6532, 116.3784),
    _sp("SP-441423-V01", "丰顺县汤坑镇城东社区便民服务站", "village_point", "441423",
        "丰顺县汤坑镇城东社区居委会", "0753-6628412", 23.7622, 116.1903),
    # Wuhua County
    _sp("SP-441424-H01", "五华县行政服务中心", "county_hall", "441424",
        "五华县水寨镇华兴南路五华县行政服务中心", "0753-4436123", 23.9265, 115.7758, _HOURS_HALL),
    _sp("SP-441424-T01", "五华县水寨镇便民服务中心", "town_station", "441424",
        "五华县水寨镇水寨圩", "0753-4438301", 23.9312, 115.7706),
    _sp("SP-441424-T02", "五华县华城镇便民服务中心", "town_station", "441424",
        "五华县华城镇华城圩", "0753-4558301", 24.0617, 115.6432),
    _sp("SP-441424-V01", "五华县华城镇华新社区便民服务站", "village_point", "441424",
        "五华县华城镇华新社区居委会", "0753-4558412", 24.0589, 115.6471),
]

# ---------------------------------------------------------------- scenarios (一件事); matters by name
SCENARIOS = [
    {"code": "S-P-BIRTH", "audience": "person", "name": "出生一件事", "name_en": "Having a baby",
     "description": "宝宝出生后办理出生医学证明、入户、医保参保、社保卡和预防接种证，信息一次填报、部门共享。",
     "base": ["出生医学证明首次签发", "出生登记（新生儿入户）", "城乡居民基本医疗保险参保登记", "社会保障卡申领",
              "预防接种证办理"],
     "questions": [
         {"id": "insured", "text": "父母是否参加了职工医保（含生育保险）？",
          "options": [("yes", "是", ["生育津贴申领", "生育医疗费用报销"]), ("no", "否", [])]},
         {"id": "hk_macao", "text": "是否需要为宝宝办理往来港澳证件（如探亲）？",
          "options": [("yes", "是", ["往来港澳通行证及签注签发"]), ("no", "否", [])]},
     ]},
    {"code": "S-P-SCHOOL", "audience": "person", "name": "入学一件事", "name_en": "Starting school",
     "description": "小学一年级、初中一年级新生入学报名，按户籍和居住情况提供所需事项。",
     "base": ["义务教育阶段新生入学报名"],
     "questions": [
         {"id": "local", "text": "孩子是否为本市户籍？",
          "options": [("yes", "是", []), ("no", "否，随父母在本市居住", ["随迁子女积分入学申请", "居住证申领"])]},
         {"id": "poor", "text": "家庭是否经济困难，需要申请资助？",
          "options": [("yes", "是", ["家庭经济困难学生资助申请"]), ("no", "否", [])]},
         {"id": "transfer", "text": "是否从其他学校转入、需要学籍证明？",
          "options": [("yes", "是", ["中小学学生学籍证明出具"]), ("no", "否", [])]},
     ]},
    {"code": "S-P-JOB", "audience": "person", "name": "就业一件事", "name_en": "Getting a job",
     "description": "找到工作后办理就业登记、社保和公积金关系接续；想自己创业的，可一并申请执照、贷款和补贴。",
     "base": ["就业登记", "个人社会保险参保缴费证明打印"],
     "questions": [
         {"id": "from_elsewhere", "text": "是否从外地来梅州工作？",
          "options": [("yes", "是", ["基本养老保险关系转移接续", "住房公积金个人账户转移", "流动人员人事档案接收"]),
                      ("no", "否", [])]},
         {"id": "startup", "text": "是否打算自己创业？",
          "options": [("yes", "是", ["个体工商户注册登记", "创业担保贷款申请", "一次性创业资助申领"]), ("no", "否", [])]},
         {"id": "skills", "text": "是否需要考取职业技能证书？",
          "options": [("yes", "是", ["职业技能等级认定报名", "职业培训补贴申领"]), ("no", "否", [])]},
     ]},
    {"code": "S-P-MARRY", "audience": "person", "name": "结婚一件事", "name_en": "Getting married",
     "description": "预约结婚登记，婚后户口投靠、购房贷款等事项一并指引。",
     "base": ["结婚登记（内地居民）"],
     "questions": [
         {"id": "foreign", "text": "另一方是否为港澳台居民、华侨或外国人？",
          "options": [("yes", "是", ["涉外、涉港澳台居民及华侨结婚登记"]), ("no", "否", [])]},
         {"id": "hukou", "text": "婚后是否需要办理夫妻投靠落户？",
          "options": [("yes", "是", ["户口迁入（投靠亲属）"]), ("no", "否", [])]},
         {"id": "home", "text": "是否计划用公积金贷款买房？",
          "options": [("yes", "是", ["住房公积金个人住房贷款申请"]), ("no", "否", [])]},
     ]},
    {"code": "S-P-HOME", "audience": "person", "name": "购房一件事", "name_en": "Buying a home",
     "description": "买房的合同备案、缴税、登记、公积金和水电气过户，一次告知、并联办理。",
     "base": ["不动产登记资料查询", "契税申报"],
     "questions": [
         {"id": "type", "text": "购买新房还是二手房？",
          "options": [("new", "新建商品房", ["商品房买卖合同网签备案", "不动产登记（新建商品房首次转移登记）"]),
                      ("second", "二手房", ["存量房交易资金监管", "二手房交易税费申报", "不动产登记（二手房转移登记）",
                                            "水电气过户"])]},
         {"id": "fund", "text": "是否使用住房公积金？",
          "options": [("loan", "申请公积金贷款", ["住房公积金个人住房贷款申请"]),
                      ("withdraw", "提取公积金付房款", ["住房公积金提取（购买自住住房）"]),
                      ("both", "贷款并提取", ["住房公积金个人住房贷款申请", "住房公积金提取（购买自住住房）"]),
                      ("no", "不使用", [])]},
         {"id": "mortgage", "text": "是否需要银行按揭贷款？",
          "options": [("yes", "是", ["不动产抵押登记"]), ("no", "否", [])]},
     ]},
    {"code": "S-P-RETIRE", "audience": "person", "name": "退休一件事", "name_en": "Retiring",
     "description": "到达退休年龄后申领养老金、提取公积金，在外地养老的办理异地就医备案。",
     "base": ["养老保险待遇申领（退休）", "住房公积金提取（离休、退休）", "个人社会保险参保缴费证明打印"],
     "questions": [
         {"id": "resident", "text": "是否参加的是城乡居民养老保险？",
          "options": [("yes", "是", ["城乡居民基本养老保险待遇申领"]), ("no", "否，职工养老保险", [])]},
         {"id": "elsewhere", "text": "退休后是否长期在外地居住？",
          "options": [("yes", "是", ["基本医疗保险异地就医备案"]), ("no", "否", [])]},
         {"id": "transfer", "text": "是否在外地缴纳过养老保险？",
          "options": [("yes", "是", ["基本养老保险关系转移接续"]), ("no", "否", [])]},
     ]},
    {"code": "S-P-DEATH", "audience": "person", "name": "身后事一件事", "name_en": "After a death",
     "description": "亲人去世后开具死亡证明、注销户口、殡葬服务，领取丧葬补助和办理遗产相关事项。",
     "base": ["居民死亡医学证明（推断）书签发", "死亡注销户口", "遗体火化和殡葬服务预约", "惠民殡葬补贴申领"],
     "questions": [
         {"id": "pension", "text": "逝者参加的是哪种养老保险？",
          "options": [("employee", "职工养老保险", ["死亡人员丧葬补助金领取"]),
                      ("resident", "城乡居民养老保险", ["城乡居民养老保险参保人死亡待遇申领"]),
                      ("none", "未参加", [])]},
         {"id": "fund", "text": "逝者是否缴存了住房公积金？",
          "options": [("yes", "是", ["住房公积金提取（职工死亡或被宣告死亡）"]), ("no", "否", [])]},
         {"id": "property", "text": "逝者名下是否有房产？",
          "options": [("yes", "是", ["不动产登记资料查询", "不动产继承登记"]), ("no", "否", [])]},
     ]},
    {"code": "S-E-OPEN", "audience": "enterprise", "name": "开办企业一件事", "name_en": "Opening a company",
     "description": "名称申报、设立登记、刻章、涉税事项、社保和公积金开户一网通办，一个工作日内办结。",
     "base": ["企业名称自主申报", "企业设立登记", "公章刻制备案", "新办纳税人涉税事项套餐", "单位社会保险参保登记",
              "单位职工基本医疗保险参保登记", "住房公积金单位缴存登记"],
     "questions": [
         {"id": "special_invoice", "text": "是否需要开具增值税专用发票？",
          "options": [("yes", "是", ["增值税一般纳税人登记", "增值税专用发票领用"]), ("no", "否", [])]},
         {"id": "business", "text": "主要经营什么业务？",
          "options": [("food", "餐饮或食品销售", ["食品经营许可"]),
                      ("drug", "药店", ["药品零售企业经营许可"]),
                      ("hotel", "旅馆民宿", ["旅馆业特种行业许可证核发", "公共场所卫生许可"]),
                      ("freight", "货物运输", ["道路货物运输经营许可"]),
                      ("other", "其他一般经营项目", [])]},
         {"id": "foreign", "text": "是否有境外投资者？",
          "options": [("yes", "是", ["外商投资企业设立备案"]), ("no", "否", [])]},
     ]},
    {"code": "S-E-CHANGE", "audience": "enterprise", "name": "企业变更一件事", "name_en": "Changing company details",
     "description": "企业名称、住所、法定代表人等变更后，营业执照、许可证、印章等信息同步更新。",
     "base": ["企业变更登记"],
     "questions": [
         {"id": "item", "text": "变更哪一类事项？",
          "options": [("name", "企业名称或法定代表人", ["公章刻制备案"]),
                      ("officers", "董事、监事、经理或章程", ["企业备案（章程、董事、监事、经理）"]),
                      ("other", "住所、经营范围或注册资本", [])]},
         {"id": "licence", "text": "是否持有食品经营许可证？",
          "options": [("yes", "是", ["食品经营许可"]), ("no", "否", [])]},
         {"id": "branch", "text": "是否同时设立分公司？",
          "options": [("yes", "是", ["分公司设立登记"]), ("no", "否", [])]},
     ]},
    {"code": "S-E-HIRE", "audience": "enterprise", "name": "招聘用工一件事", "name_en": "Hiring staff",
     "description": "发布招聘信息、办理用工登记、社保和公积金增员，申请吸纳就业补贴。",
     "base": ["招聘岗位信息发布", "单位招用员工就业登记", "职工参保登记（增员、减员）", "住房公积金单位汇缴和职工增减"],
     "questions": [
         {"id": "subsidy", "text": "是否招用了高校毕业生或就业困难人员？",
          "options": [("yes", "是", ["企业吸纳就业补贴申领", "吸纳就业困难人员社会保险补贴申领"]), ("no", "否", [])]},
         {"id": "foreigner", "text": "是否聘用外籍员工？",
          "options": [("yes", "是", ["外国人来华工作许可"]), ("no", "否", [])]},
         {"id": "hours", "text": "是否需要实行不定时或综合计算工时？",
          "options": [("yes", "是", ["企业实行不定时工作制和综合计算工时工作制审批"]), ("no", "否", [])]},
     ]},
    {"code": "S-E-ANNUAL", "audience": "enterprise", "name": "企业年报一件事", "name_en": "Annual reporting",
     "description": "工商年报、企业所得税汇算清缴、社保缴费基数申报和公积金年度调整，一次提醒、一并办理。",
     "base": ["企业年度报告公示", "企业所得税年度汇算清缴", "社会保险费缴费基数申报", "住房公积金缴存基数和比例调整"],
     "questions": [
         {"id": "foreign", "text": "是否为外商投资企业？",
          "options": [("yes", "是", ["外商投资信息报告（年度报告）"]), ("no", "否", [])]},
         {"id": "abnormal", "text": "是否被列入经营异常名录或有行政处罚记录？",
          "options": [("yes", "是", ["经营异常名录移出申请", "信用修复申请"]), ("no", "否", [])]},
         {"id": "equipment", "text": "是否有在用的电梯、锅炉等特种设备？",
          "options": [("yes", "是", ["特种设备定期检验申报"]), ("no", "否", [])]},
     ]},
    {"code": "S-E-TAX", "audience": "enterprise", "name": "涉税事项一件事", "name_en": "Tax matters",
     "description": "日常申报、发票和税收优惠一站办理，出口企业和跨区经营企业按需增加事项。",
     "base": ["增值税及附加税费申报", "发票票种核定", "税收优惠备案（小微企业）", "完税证明开具"],
     "questions": [
         {"id": "general", "text": "是否为增值税一般纳税人？",
          "options": [("yes", "是", ["增值税一般纳税人登记", "增值税专用发票领用"]), ("no", "否，小规模纳税人", [])]},
         {"id": "export", "text": "是否有出口业务？",
          "options": [("yes", "是", ["对外贸易经营者备案登记", "出口退（免）税备案", "出口退（免）税申报"]), ("no", "否", [])]},
         {"id": "cross", "text": "是否到外地临时经营？",
          "options": [("yes", "是", ["跨区域涉税事项报告"]), ("no", "否", [])]},
     ]},
    {"code": "S-E-BUILD", "audience": "enterprise", "name": "建设项目审批一件事", "name_en": "Construction project approval",
     "description": "企业投资建设项目从立项、用地、规划、施工许可到竣工验收，按阶段并联审批。",
     "base": ["企业投资项目备案", "建设项目用地预审与选址意见书核发", "建设用地规划许可证核发", "建设工程规划许可证核发",
              "建筑工程施工许可证核发", "建设工程竣工验收备案"],
     "questions": [
         {"id": "eia", "text": "项目的环境影响评价属于哪一类？",
          "options": [("table", "报告表", ["建设项目环境影响报告表审批"]),
                      ("book", "报告书", ["建设项目环境影响报告书审批"]),
                      ("none", "登记表或无需环评", [])]},
         {"id": "fire", "text": "是否属于需要消防设计审查的特殊建设工程？",
          "options": [("yes", "是", ["建设工程消防设计审查", "建设工程消防验收"]), ("no", "否", [])]},
         {"id": "water", "text": "是否取用水资源或在河道、山区建设？",
          "options": [("yes", "是", ["取水许可", "洪水影响评价审批", "生产建设项目水土保持方案审批"]), ("no", "否", [])]},
     ]},
    {"code": "S-E-CLOSE", "audience": "enterprise", "name": "企业注销一件事", "name_en": "Closing a company",
     "description": "清税、注销登记、社保和公积金账户注销一网通办，信息同步推送各部门。",
     "base": ["税务注销", "单位社会保险注销登记"],
     "questions": [
         {"id": "simple", "text": "企业是否未开业或无债权债务？",
          "options": [("yes", "是，适用简易注销", ["企业简易注销登记"]), ("no", "否，一般注销", ["企业注销登记"])]},
         {"id": "fund", "text": "是否开立了住房公积金单位账户？",
          "options": [("yes", "是", ["住房公积金单位账户注销"]), ("no", "否", [])]},
         {"id": "customs", "text": "是否办理过海关报关单位备案？",
          "options": [("yes", "是", ["海关报关单位注销"]), ("no", "否", [])]},
     ]},
]


# ---------------------------------------------------------------- generation
CITY = "441400"
COUNTIES = [r["code"] for r in REGIONS if r["level"] == "county"]
LICENCE_TYPES = {m[2] for m in MATERIALS.values() if m[2]}


# ---------------------------------------------------------------- helpers
def material(spec):
    """'id' | 'name' | '?name' (optional) | 'name|copy' (form) -> material dict."""
    required = True
    if spec.startswith("?"):
        required, spec = False, spec[1:]
    form = None
    if "|" in spec:
        spec, form = spec.split("|", 1)
    name, dform, lt = MATERIALS.get(spec, (spec, "original", None))
    return {"name": name, "form": form or dform, "copies": 2 if "照片" in name else 1,
            "licence_type": lt, "required": required}


def field(spec):
    """'key' from FIELDS | 'name:label:type' | 'name:label:select:v=l|v=l'; '?' prefix = optional."""
    required = True
    if spec.startswith("?"):
        required, spec = False, spec[1:]
    if spec in FIELDS:
        name, label, ftype = FIELDS[spec]
        out = {"name": name, "label": label, "type": ftype, "required": required}
        return out
    parts = spec.split(":", 3)
    name, label, ftype = parts[0], parts[1], parts[2]
    out = {"name": name, "label": label, "type": ftype, "required": required}
    if ftype == "select":
        # spec keeps an ASCII key per option for readability; the format stores the labels
        out["options"] = [o.split("=", 1)[1] for o in parts[3].split("|")]
    return out


def audiences_of(themes):
    auds = []
    if any(t.startswith("P") for t in themes):
        auds.append("person")
    if any(t.startswith("E") for t in themes):
        auds.append("enterprise")
    return auds


def default_fields(auds):
    if auds == ["person"]:
        return ["name", "idno", "phone"]
    if auds == ["enterprise"]:
        return ["org", "uscc", "contact", "cphone"]
    return ["both_name", "both_no", "phone"]


def default_mats(auds):
    if auds == ["person"]:
        return ["id"]
    if auds == ["enterprise"]:
        return ["bl", "agid"]
    return ["申请人身份证件或营业执照", "?auth"]


def process_of(kind, depth, prom):
    if prom == 0 and depth != "onsite":
        return ["网上申请", "受理审核", "即时办结"]
    if prom == 0:
        return ["窗口申请", "受理审核", "当场办结"]
    start = {"full": "网上申请", "apply": "网上预约申请", "onsite": "窗口申请"}[depth]
    mid = ["受理", "审查", "作出决定"] if kind == "licensing" else ["受理", "审核"]
    end = {"full": "结果网上送达或免费邮寄", "apply": "窗口核验原件并领取结果",
           "onsite": "窗口领取结果"}[depth]
    return [start] + mid + [end]


def guide_of(t, auds):
    app = ("广东政务服务网或粤省事" if auds == ["person"] else
           "广东政务服务网或粤商通" if auds == ["enterprise"] else "广东政务服务网、粤省事或粤商通")
    parts = []
    if t["guide"]:
        parts.append(t["guide"].rstrip("。") + "。")
    if t["depth"] == "full":
        parts.append(f"可在{app}提交申请，全程网上办理，无需到现场。")
    elif t["depth"] == "apply":
        parts.append(f"可在{app}提交申请，审核通过后到窗口核验原件、领取结果，只需跑一次。")
    elif t["visits"] >= 2:
        parts.append("需本人携带材料到办事窗口办理，一般需要到现场两次（申请和领取结果）。")
    else:
        parts.append("需本人携带材料到办事窗口办理，可先在粤省事或广东政务服务网预约，到现场一次即可办结。")
    if t["prom"] == 0:
        parts.append("材料齐全的即时办结。")
    else:
        parts.append(f"法定时限{t['legal']}个工作日，承诺{t['prom']}个工作日内办结。")
    if t["fees"]:
        parts.append("收费：" + "，".join(f"{i}{a}" for i, a in t["fees"]) + "。")
    return "".join(parts[:4])


def normalise(t):
    t = dict(t)
    t.setdefault("scope", "city")
    t.setdefault("depth", "full")
    t.setdefault("legal", 20)
    t.setdefault("prom", 5)
    t.setdefault("fees", [])
    t.setdefault("mats", None)
    t.setdefault("f", [])
    t.setdefault("tags", [])
    t.setdefault("al", [])
    t.setdefault("cond", [])
    t.setdefault("guide", "")
    t.setdefault("pop", 100)
    if t.get("visits") is None:
        t["visits"] = {"full": 0, "apply": 1, "onsite": 1}[t["depth"]]
    if t.get("mobile") is None:
        t["mobile"] = t["depth"] != "onsite"
    if t["mobile"] and t["depth"] == "onsite":
        raise SystemExit(f"{t['name']}: on site only cannot also be done on a phone")
    if t.get("kind") is None:
        n = t["name"]
        t["kind"] = "licensing" if any(w in n for w in ("许可", "审批", "核准", "核发")) else "public_service"
    return t


def county_variant(t, region):
    """County halls are not all as far online as the city (plan targets: city >=95%
    full-online, counties >=70%): deterministically downgrade some county copies
    from fully online to apply-online-then-one-visit."""
    if t["depth"] != "full" or t["prom"] == 0:
        return t
    h = zlib.crc32(f"{region}:{t['name']}".encode())
    step = 10 if t["kind"] == "licensing" else 4
    if h % step:
        return t
    return dict(t, depth="apply", visits=1)


def build_matters():
    seq = {}
    matters = []
    by_name = {}
    seen_names = set()
    for raw in TEMPLATES:
        t = normalise(raw)
        if t["name"] in seen_names:
            raise SystemExit(f"duplicate template name {t['name']}")
        seen_names.add(t["name"])
        auds = audiences_of(t["themes"])
        if t["scope"] == "city":
            places = [(CITY, "city")]
        elif t["scope"] == "both":
            places = [(CITY, "city")] + [(c, "county") for c in COUNTIES]
        elif t["scope"] == "county":
            places = [(c, "county") for c in COUNTIES]
        else:  # town | village: the county is the region
            places = [(c, t["scope"]) for c in COUNTIES]
        mats = [material(m) for m in (t["mats"] if t["mats"] is not None else default_mats(auds))]
        fields = [field(f) for f in default_fields(auds) + list(t["f"])]
        names = [x["name"] for x in fields]
        assert len(names) == len(set(names)), f"duplicate form field in {t['name']}"
        assert all(x["type"] != "select" or x.get("options") for x in fields), t["name"]
        for region, level in places:
            t_here = county_variant(t, region) if level == "county" else t
            key = (region, t["dept"])
            seq[key] = seq.get(key, 0) + 1
            code = f"{region}-{t['dept']}-{seq[key]:04d}"
            pop = t["pop"] if region == CITY else max(1, int(t["pop"] * COUNTY_FACTOR[region]))
            if level in ("town", "village"):
                pop = max(1, int(t["pop"] * COUNTY_FACTOR[region] * 2))
            m = {
                "code": code,
                "name": t["name"],
                "aliases": list(t["al"]),
                "audiences": auds,
                "themes": list(t["themes"]),
                "department": t["dept"],
                "level": level,
                "region": region,
                "kind": t["kind"],
                "online_depth": t_here["depth"],
                "visits": t_here["visits"],
                "legal_days": t["legal"],
                "promised_days": t["prom"],
                "fees": [{"item": i, "amount": a} for i, a in t["fees"]],
                "materials": [dict(x) for x in mats],
                "form_fields": [dict(x) for x in fields],
                "hot_tags": list(t["tags"]),
                "mobile": t["mobile"],
                "conditions": list(t["cond"]) or default_conditions(auds),
                "process": process_of(t["kind"], t_here["depth"], t["prom"]),
                "guide": guide_of(t_here, auds),
                "popularity": pop,
                "version": 1,
                "status": "active",
            }
            matters.append(m)
            by_name.setdefault(t["name"], []).append(m)
    return matters, by_name


def default_conditions(auds):
    if auds == ["person"]:
        return ["本人或其委托的代理人可申请"]
    if auds == ["enterprise"]:
        return ["依法设立的企业或其他组织，由法定代表人或委托的经办人申请"]
    return ["符合条件的自然人、企业或其他组织均可申请"]


def resolve(by_name, name, audience):
    ms = by_name.get(name)
    if not ms:
        raise SystemExit(f"scenario refers to unknown matter {name}")
    m = ms[0]  # city copy when there is one (city comes first)
    if audience not in m["audiences"]:
        raise SystemExit(f"scenario audience {audience} not served by {name}")
    return m["code"]


def build_scenarios(by_name):
    out = []
    for s in SCENARIOS:
        aud = s["audience"]
        out.append({
            "code": s["code"], "audience": aud, "name": s["name"], "name_en": s["name_en"],
            "description": s["description"],
            "base_matters": [resolve(by_name, n, aud) for n in s["base"]],
            "questions": [{
                "id": q["id"], "text": q["text"],
                "options": [{"value": v, "label": lab, "adds": [resolve(by_name, n, aud) for n in adds]}
                            for v, lab, adds in q["options"]],
            } for q in s["questions"]],
        })
    return out


# Matters a town station / village point handles on behalf of the county hall.
COMMON_COUNTY_FOR_GRASSROOTS = [
    "城乡居民基本养老保险参保登记", "社会保障卡申领", "城乡居民基本医疗保险参保登记",
    "残疾人证办理",
]


def build_service_points(matters):
    out = []
    for sp in SERVICE_POINTS:
        sp = dict(sp)
        t, region = sp["type"], sp["region"]
        if t == "city_hall":
            codes = [m["code"] for m in matters if m["level"] == "city"]
        elif t == "county_hall":
            codes = [m["code"] for m in matters if m["region"] == region and m["level"] in ("county", "town")]
        elif t == "town_station":
            codes = [m["code"] for m in matters if m["region"] == region and m["level"] in ("town", "village")]
            codes += [m["code"] for m in matters if m["region"] == region and m["level"] == "county"
                      and m["name"] in COMMON_COUNTY_FOR_GRASSROOTS]
        else:
            codes = [m["code"] for m in matters if m["region"] == region and m["level"] == "village"]
            codes += [m["code"] for m in matters if m["region"] == region and m["level"] == "county"
                      and m["name"] in COMMON_COUNTY_FOR_GRASSROOTS[:3]]
        sp["matters"] = codes
        out.append(sp)
    return out


# ---------------------------------------------------------------- English (infra/seed/en/*.tsv)
EN_DIR = os.path.join(HERE, "en")
# One table per kind of string (README: "English"); names.tsv has a third column, the matter's
# English aliases "a | b | c".
EN_TABLES = ("names", "materials", "conditions", "process", "fields", "options", "fees",
             "scenarios", "points")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_SPAM = ("亚博", "亚搏", "yabo")


class English:
    """The translation tables, with a record of what was asked and what was missing."""

    def __init__(self, tables=EN_TABLES, directory=EN_DIR):
        self.rows, self.used, self.missing, self.errors = {}, set(), [], []
        for table in tables:
            path = os.path.join(directory, f"{table}.tsv")
            rows = {}
            with open(path, encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    line = line.rstrip("\n")
                    if not line.strip() or line.startswith("#"):
                        continue
                    cols = line.split("\t")
                    where = f"en/{table}.tsv:{n}"
                    if len(cols) != (3 if table == "names" else 2) or not all(c.strip() for c in cols):
                        self.errors.append(f"{where}: expected Chinese<TAB>English{'<TAB>aliases' if table == 'names' else ''}")
                        continue
                    if cols[0] in rows:
                        self.errors.append(f"{where}: {cols[0]} is translated twice")
                    for text in cols[1:]:
                        if _CJK.search(text):
                            self.errors.append(f"{where}: Chinese characters in the English {text!r}")
                        if text != text.strip() or "  " in text:
                            self.errors.append(f"{where}: stray spaces in {text!r}")
                        if any(w in text.lower() for w in _SPAM):
                            self.errors.append(f"{where}: spam word in {text!r}")
                    rows[cols[0]] = cols[1:]
            self.rows[table] = rows

    def _row(self, table, zh):
        row = self.rows[table].get(zh)
        if row is None:
            if (table, zh) not in self.missing:
                self.missing.append((table, zh))
            return ["", ""]
        self.used.add((table, zh))
        return row

    def __call__(self, table, zh):
        return self._row(table, zh)[0]

    def aliases(self, zh_name):
        raw = self._row("names", zh_name)[1]
        out = [a.strip() for a in raw.split("|") if a.strip()]
        lower = [a.lower() for a in out]
        if raw and (len(set(lower)) != len(lower) or not 2 <= len(out) <= 4):
            self.errors.append(f"en/names.tsv: {zh_name}: 2-4 distinct aliases wanted, got {out}")
        return out

    def check(self):
        """Fail the build loudly: every missing string, unused line and bad line by name."""
        problems = list(self.errors)
        problems += [f"en/{t}.tsv lacks: {zh}" for t, zh in self.missing]
        problems += [f"en/{t}.tsv: unused line {zh}" for t, rows in self.rows.items()
                     for zh in rows if (t, zh) not in self.used]
        if problems:
            raise SystemExit("the English tables are incomplete:\n  " + "\n  ".join(problems))


def _insert_after(d, key, new_key, value):
    out = {}
    for k, v in d.items():
        out[k] = v
        if k == key:
            out[new_key] = value
    return out


def english_matter(m, en):
    out = {}
    for k, v in m.items():
        if k == "fees" and "fees" in en.rows:
            v = [{"item": f["item"], "name_en": en("fees", f["item"]),
                  "amount": f["amount"], "amount_en": en("fees", f["amount"])} for f in v]
        elif k == "materials" and "materials" in en.rows:
            v = [_insert_after(x, "name", "name_en", en("materials", x["name"])) for x in v]
        elif k == "form_fields":
            v = [english_field(f, en) for f in v]
        out[k] = v
        if k == "name" and "names" in en.rows:
            out["name_en"] = en("names", v)
            out_aliases = en.aliases(v)
        elif k == "aliases" and "names" in en.rows:
            out["aliases_en"] = out_aliases
        elif k == "conditions" and "conditions" in en.rows:
            out["conditions_en"] = [en("conditions", c) for c in v]
        elif k == "process" and "process" in en.rows:
            out["process_en"] = [en("process", c) for c in v]
    return out


def english_field(f, en):
    if "fields" in en.rows:
        f = _insert_after(f, "label", "label_en", en("fields", f["label"]))
    if "options" in f and "options" in en.rows:
        f = _insert_after(f, "options", "options_en", [en("options", o) for o in f["options"]])
    return f


def english_scenario(s, en):
    if "scenarios" not in en.rows:
        return s
    s = _insert_after(s, "description", "description_en", en("scenarios", s["description"]))
    s["questions"] = [
        _insert_after(dict(q, options=[_insert_after(o, "label", "label_en", en("scenarios", o["label"]))
                                       for o in q["options"]]),
                      "text", "text_en", en("scenarios", q["text"]))
        for q in s["questions"]]
    return s


def english_point(p, en):
    if "points" not in en.rows:
        return p
    p = _insert_after(p, "name", "name_en", en("points", p["name"]))
    p = _insert_after(p, "address", "address_en", en("points", p["address"]))
    return _insert_after(p, "hours", "hours_en", en("points", p["hours"]))


def dump(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


def build():
    """Every output file's path and content, built in memory (the tests compare it with the files)."""
    themes = ([{"code": f"P{i + 1:02d}", "audience": "person", "name": n, "name_en": e}
               for i, (n, e) in enumerate(PERSON_THEMES)]
              + [{"code": f"E{i + 1:02d}", "audience": "enterprise", "name": n, "name_en": e}
                 for i, (n, e) in enumerate(ENTERPRISE_THEMES)])
    matters, by_name = build_matters()
    for m in matters:
        for mat in m["materials"]:
            assert mat["licence_type"] is None or mat["licence_type"] in LICENCE_TYPES
    en = English()
    points = [english_point(p, en) for p in build_service_points(matters)]
    scenarios = [english_scenario(s, en) for s in build_scenarios(by_name)]
    matters = [english_matter(m, en) for m in matters]
    en.check()
    return {
        os.path.join(DATA, "themes.json"): themes,
        os.path.join(DATA, "regions.json"): REGIONS,
        os.path.join(DATA, "departments.json"): [{"code": c, "name": n, "name_en": e}
                                                 for c, n, e in DEPARTMENTS],
        os.path.join(HERE, "matters.json"): matters,
        os.path.join(HERE, "service_points.json"): points,
        os.path.join(HERE, "scenarios.json"): scenarios,
    }


def main():
    out = build()
    for path, obj in out.items():
        dump(path, obj)
    count = {os.path.basename(p): len(v) for p, v in out.items()}
    print(f"{count['themes.json']} themes, {count['matters.json']} matters, "
          f"{count['service_points.json']} service points, {count['scenarios.json']} scenarios")


if __name__ == "__main__":
    main()
